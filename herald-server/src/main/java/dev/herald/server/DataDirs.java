package dev.herald.server;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data dir for its owner: the directory is 0700, whatever it held before start loses its
 * group and other permissions (files written by an older Herald, or under a loose umask), and the
 * files Herald writes itself are 0600. Files that SQLite and the embedded broker create later get
 * the process's umask, which the {@code herald} launcher sets to 077; the 0700 directory keeps them
 * from other users whatever their mode. A file system without POSIX permissions is left as it is.
 * Stateless.
 */
final class DataDirs {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirs.class);
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> GROUP_AND_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private DataDirs() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Creates {@code dir} (0700) or makes an existing one and everything in it owner-only. */
  static void secure(Path dir) throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return;
    }
    if (!Files.exists(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(DIR);
      Files.createDirectory(dir, mode);
      Files.setPosixFilePermissions(dir, DIR); // the umask may have taken bits from the mode
      return;
    }
    int[] tightened = {0};
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            tightened[0] += removeGroupAndOthers(d);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            if (attrs.isRegularFile() || attrs.isDirectory()) {
              tightened[0] += removeGroupAndOthers(f);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    if (tightened[0] > 0) {
      LOG.info(
          "made {} files and directories of the data dir {} readable by their owner only",
          tightened[0],
          dir);
    }
  }

  private static int removeGroupAndOthers(Path path) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
    if (mode.stream().noneMatch(GROUP_AND_OTHERS::contains)) {
      return 0;
    }
    Set<PosixFilePermission> owner = EnumSet.copyOf(mode);
    owner.removeAll(GROUP_AND_OTHERS);
    Files.setPosixFilePermissions(path, owner);
    return 1;
  }

  /** Writes {@code text} to a new or truncated file that only its owner can read (0600). */
  static Path writeOwnerOnly(Path file, String text) throws IOException {
    if (posix()) {
      if (!Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      }
      Files.setPosixFilePermissions(file, FILE);
    }
    return Files.writeString(
        file,
        text,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE,
        StandardOpenOption.CREATE);
  }
}
