import { Backoff } from './backoff.js';
import { AuthenticationFailedError } from './errors.js';
import { ErrorCode } from './wire.js';

/**
 * Decides when to try again and whether to log in first, with the Java SDK's rules: backoff between attempts; a
 * fresh login when the gateway refused the token; and after every `reloginAfterFailures` consecutive failures the
 * gateway is "suspect": if it cannot be reached once more with the kept token, the client asks the API (logs in)
 * at once. A kept token is tried on its gateway first because a restarted node accepts it (signed tokens survive a
 * restart), so a fleet coming back costs the API nothing.
 */
export class ReconnectPolicy {
  private failures = 0;
  private relogin = false;
  private suspect = false;

  constructor(
    private readonly backoff: Backoff,
    private readonly reloginAfterFailures: number,
  ) {
    if (!Number.isInteger(reloginAfterFailures) || reloginAfterFailures < 1) {
      throw new RangeError(`reloginAfterFailures must be at least 1, was ${reloginAfterFailures}`);
    }
  }

  /** An attempt failed: counts it, decides whether the next one logs in first, and returns its delay. */
  attemptFailed(cause: unknown): number {
    this.failures++;
    if (cause instanceof AuthenticationFailedError && cause.code === ErrorCode.INVALID_TOKEN) {
      this.relogin = true;
    }
    if (this.failures % this.reloginAfterFailures === 0) {
      this.suspect = true;
    }
    return this.backoff.nextDelay();
  }

  /** An authenticated connection was lost: not a failure, but jittered all the same. */
  connectionLost(): number {
    return this.backoff.nextDelay();
  }

  /** The gateway accepted a connection: failures and backoff start over. */
  connected(): void {
    this.failures = 0;
    this.suspect = false;
    this.backoff.reset();
  }

  requireRelogin(): void {
    this.relogin = true;
  }

  /** After a RECONNECT notice: the gateway may be going away, so the next failure to reach it logs in. */
  suspectGateway(): void {
    this.suspect = true;
  }

  /** A login asked because the gateway was unreachable could not reach the API either: keep the token. */
  keepToken(): void {
    this.relogin = false;
  }

  loggedIn(): void {
    this.relogin = false;
    this.suspect = false;
  }

  get gatewaySuspect(): boolean {
    return this.suspect;
  }

  get reloginNeeded(): boolean {
    return this.relogin;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
