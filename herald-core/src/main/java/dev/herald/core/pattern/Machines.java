package dev.herald.core.pattern;

import software.amazon.event.ruler.Machine;

/** How Herald configures every event-ruler machine. Stateless. */
final class Machines {
  private Machines() {}

  /**
   * An empty machine that reuses name states across rules ({@code additionalNameStateReuse}), which
   * halves the memory of large rule sets without changing what matches.
   */
  static Machine newMachine() {
    return Machine.builder().withAdditionalNameStateReuse(true).build();
  }
}
