package io.herald.api;

import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.MDC;

/**
 * Records every push (message, targets and the MDC seen while it was called) and answers with a configurable
 * result, immediately or from another thread.
 */
final class RecordingPushService implements PushService {
    record Call(PushMessage message, PushTargets targets, Map<String, String> mdc, String thread) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** The size of each {@link #pushAll} call, in call order. */
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    volatile PushResultFactory results = (message, targets) -> {
        int count = targets instanceof PushTargets.Devices devices ? devices.clientIds().size() : 0;
        return new PushResult(message.messageId(), count, 0, 0);
    };
    /** When set, the push completes a little later on another thread. */
    volatile boolean completeAsync;
    volatile RuntimeException failure;
    /** When set, each push completes this many milliseconds later (on another thread); wins over completeAsync. */
    volatile ToLongFunction<PushMessage> delayMillis;
    /** Ids of the pushes that completed, in completion order, with how many calls had been made by then. */
    final List<Completion> completions = new CopyOnWriteArrayList<>();

    record Completion(long messageId, int callsSoFar) {
    }

    interface PushResultFactory {
        PushResult create(PushMessage message, PushTargets targets);
    }

    /** Back to answering at once with the default results, nothing recorded: one test's settings end with it. */
    void reset() {
        failure = null;
        completeAsync = false;
        delayMillis = null;
        calls.clear();
        batches.clear();
        completions.clear();
    }

    @Override
    public CompletableFuture<PushResult> push(PushMessage message, PushTargets targets) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        calls.add(new Call(message, targets, mdc == null ? Map.of() : Map.copyOf(mdc),
                Thread.currentThread().getName()));
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        PushResult result = results.create(message, targets);
        ToLongFunction<PushMessage> delay = delayMillis;
        if (!completeAsync && delay == null) {
            return CompletableFuture.completedFuture(result);
        }
        Executor later = CompletableFuture.delayedExecutor(delay == null ? 20 : delay.applyAsLong(message),
                TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> {
            completions.add(new Completion(message.messageId(), calls.size()));
            return result;
        }, later);
    }

    /** Records the batch, then each message as a call of its own, answered like {@link #push}. */
    @Override
    public List<CompletableFuture<PushResult>> pushAll(List<DevicePush> pushes) {
        batches.add(pushes.size());
        return pushes.stream().map(push -> push(push.message(), PushTargets.devices(push.clientIds()))).toList();
    }

    Call last() {
        if (calls.isEmpty()) {
            throw new AssertionError("PushService was not called");
        }
        return calls.get(calls.size() - 1);
    }
}
