package dev.herald.core.config.file;

/**
 * One problem of a herald.yaml, printed as {@code herald.yaml:12:5: rules.orders/big.targets[0]
 * .target: unknown target "order-hook"}.
 *
 * @param line 1-based; 0 when the problem has no place in the file
 * @param column 1-based; 0 when the problem has no place in the file
 * @param path where in the file's tree, dotted ({@code targets.orders-hook.retry.maxAttempts});
 *     empty for a syntax error
 */
public record FileError(String file, int line, int column, String path, String message) {
  @Override
  public String toString() {
    String where = file + ":" + line + ":" + column + ": ";
    return where + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
