/**
 * Delays between retries: exponential growth up to a cap, randomised so that many devices failing together (a
 * gateway restart drops its whole fleet) spread their retries out instead of coming back in lockstep. The same
 * two formulas as the Java SDK's `Backoff`:
 *
 * - `full` (default): attempt n waits a uniform random time in [0, min(max, initial × multiplier^(n-1))].
 * - `decorrelated`: each wait is uniform in [initial, min(max, 3 × previous wait)].
 *
 * Stateful (it counts attempts); {@link reset} after a success.
 */
export type Jitter = 'full' | 'decorrelated';

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: Jitter;
  /** Uniform in [0, 1); Math.random unless a test fixes it. */
  random?: () => number;
}

const DECORRELATED_FACTOR = 3;

export class Backoff {
  private readonly initial: number;
  private readonly max: number;
  private readonly multiplier: number;
  private readonly jitter: Jitter;
  private readonly random: () => number;
  private attemptCount = 0;
  private previous: number;

  constructor(options: BackoffOptions) {
    if (!(options.multiplier >= 1)) {
      throw new RangeError(`multiplier must be >= 1, was ${options.multiplier}`);
    }
    if (options.jitter !== 'full' && options.jitter !== 'decorrelated') {
      throw new RangeError(`jitter must be 'full' or 'decorrelated', was ${String(options.jitter)}`);
    }
    this.initial = Math.max(1, Math.floor(options.initialDelayMs));
    this.max = Math.max(this.initial, Math.floor(options.maxDelayMs));
    this.multiplier = options.multiplier;
    this.jitter = options.jitter;
    this.random = options.random ?? Math.random;
    this.previous = this.initial;
  }

  /** The delay in milliseconds before the next attempt; each call counts one more attempt. */
  nextDelay(): number {
    this.attemptCount++;
    let delay: number;
    if (this.jitter === 'full') {
      delay = this.uniform(0, this.ceiling(this.attemptCount));
    } else {
      const upper = Math.min(this.max, Math.max(this.initial, this.previous * DECORRELATED_FACTOR));
      delay = upper <= this.initial ? this.initial : this.uniform(this.initial, upper);
    }
    this.previous = delay;
    return delay;
  }

  /** The upper bound of the `attempt`-th delay (1-based) under full jitter. */
  ceiling(attempt: number): number {
    const ceiling = this.initial * Math.pow(this.multiplier, Math.max(0, attempt - 1));
    return ceiling >= this.max ? this.max : Math.floor(ceiling);
  }

  /** Attempts counted since creation or the last {@link reset}. */
  get attempts(): number {
    return this.attemptCount;
  }

  /** Starts over from the initial delay, after a success. */
  reset(): void {
    this.attemptCount = 0;
    this.previous = this.initial;
  }

  /** A whole number uniform in [low, high]. */
  private uniform(low: number, high: number): number {
    return Math.min(high, low + Math.floor(this.random() * (high - low + 1)));
  }
}
