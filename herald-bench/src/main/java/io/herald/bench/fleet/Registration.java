package io.herald.bench.fleet;

import io.herald.bench.http.HeraldApi;
import io.herald.bench.load.InFlightLimit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Registers the fleet's ids through the open registration endpoint before a run (not measured). */
public final class Registration {
    private Registration() {
    }

    /** Registers every id with bounded concurrency; throws when any registration failed or the deadline passed. */
    public static void registerAll(HeraldApi api, List<String> clientIds, int concurrency, long deadlineNanos) {
        InFlightLimit limit = new InFlightLimit(concurrency);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        for (String id : clientIds) {
            if (!limit.acquire(deadlineNanos)) {
                throw new IllegalStateException("registration did not finish in time");
            }
            api.register(id, HeraldLogin.secretOf(id)).whenComplete((ok, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                    lastError.set(error);
                }
                limit.release();
            });
        }
        if (!limit.awaitIdle(deadlineNanos)) {
            throw new IllegalStateException("registration did not finish in time");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " registration(s) failed, last: " + lastError.get(),
                    lastError.get());
        }
    }
}
