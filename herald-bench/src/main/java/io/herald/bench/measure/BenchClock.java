package io.herald.bench.measure;

import java.time.Clock;
import java.time.Instant;

/**
 * Wall-clock time in microseconds. Pushes carry their send time in the payload and receivers compare it with
 * this clock; sender and receiver are the same process, so no clock skew enters a latency.
 */
public final class BenchClock {
    private static final Clock UTC = Clock.systemUTC();

    private BenchClock() {
    }

    public static long epochMicros() {
        Instant now = UTC.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
