/**
 * Remembers the ids of the last `window` downstream messages, so that a redelivery (after a lost ACK or a
 * reconnect) is acknowledged again but handed to the application only once. Ids are forgotten oldest first; memory
 * grows with use up to the window and no further.
 */
export class DuplicateFilter {
  private readonly window: number;
  /** Iterates in insertion order, so its first entry is the oldest id. */
  private readonly seen = new Set<bigint>();

  constructor(window: number) {
    if (!Number.isInteger(window) || window < 1) {
      throw new RangeError(`window must be a whole number of at least 1, was ${window}`);
    }
    this.window = window;
  }

  /** Records the id; true the first time within the window, false for a duplicate (not recorded again). */
  firstSeen(messageId: bigint): boolean {
    if (this.seen.has(messageId)) {
      return false;
    }
    if (this.seen.size === this.window) {
      const oldest = this.seen.values().next().value as bigint;
      this.seen.delete(oldest);
    }
    this.seen.add(messageId);
    return true;
  }

  /** How many ids are remembered now (at most the window). */
  get size(): number {
    return this.seen.size;
  }
}
