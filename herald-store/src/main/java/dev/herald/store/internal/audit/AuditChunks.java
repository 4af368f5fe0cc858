package dev.herald.store.internal.audit;

import dev.herald.core.audit.AuditEntry;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Audit entries in seq order, read lazily one chunk (one short read) at a time, so that a log of
 * any length streams in bounded memory and no read holds a connection while the caller works.
 *
 * <p><b>Thread safety.</b> Not thread-safe: one stream is consumed by one thread.
 */
final class AuditChunks implements Iterator<AuditEntry> {
  /** Reads the entries after a seq, at most {@code limit}. */
  @FunctionalInterface
  interface Reader {
    List<AuditEntry> after(long seq, int limit);
  }

  private final Reader reader;
  private final int chunk;
  private long last;
  private Iterator<AuditEntry> current = Collections.emptyIterator();
  private boolean exhausted;

  private AuditChunks(Reader reader, long afterSeq, int chunk) {
    this.reader = reader;
    this.last = afterSeq;
    this.chunk = chunk;
  }

  /** The entries {@code reader} yields after {@code afterSeq}, {@code chunk} per read. */
  static Stream<AuditEntry> stream(Reader reader, long afterSeq, int chunk) {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            new AuditChunks(reader, afterSeq, chunk),
            Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT),
        false);
  }

  @Override
  public boolean hasNext() {
    if (!current.hasNext() && !exhausted) {
      List<AuditEntry> next = reader.after(last, chunk);
      exhausted = next.size() < chunk;
      if (!next.isEmpty()) {
        last = next.getLast().seq();
      }
      current = next.iterator();
    }
    return current.hasNext();
  }

  @Override
  public AuditEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }
}
