package io.herald.core.push;

import io.herald.core.device.DeviceStore;
import io.herald.core.message.PushMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push service of both modes, with two ports: where each device is ({@link DeviceLocator}) and how to reach
 * its gateway ({@link Gateways}). Standalone is the case of one in-process gateway ({@link InProcessGateway}); a
 * cluster API node locates devices in Redis and reaches the gateways over the internal links.
 *
 * <p>A push of one message is a batch of one; a batch goes through these steps together:
 * <ol>
 *   <li><b>Locate</b> every distinct target of every message, in one lookup.</li>
 *   <li><b>Store first</b> (QoS 1): each message is stored for every registered target, the connected ones too (a
 *       located device logged in, so it is registered; the others are checked in the device store, in one query
 *       for the whole batch), all messages handed to the offline store at once so that they share its group
 *       commit; nothing is handed over before the stores are durable. So a gateway killed before the device's ACK
 *       loses nothing, and a failed store fails its message (alone) before any device saw it.</li>
 *   <li><b>Hand over</b>: one request per gateway carrying its part of every message, in message order. Targets the
 *       gateway no longer holds, and all of a gateway that cannot be asked, count as offline: stored (QoS 1), or
 *       dropped (QoS 0).</li>
 *   <li><b>Nudge</b>: a QoS 1 target stored but not handed over may have connected after it was located and read the
 *       store before the write was durable. Those targets are located once more (the store is durable by now) and
 *       every gateway holding one is told to have its session re-read the store. A device that connects after
 *       this second lookup reads the store after the write. Best effort: a failure is logged, the message is
 *       stored either way. In the common case, every target connected and held, there is nothing to nudge.</li>
 * </ol>
 * QoS 0 messages skip the store and the nudge. Targets not registered are dropped and listed as unknown (QoS 1).
 *
 * <p>Threads: the device lookup and a store that may block run on {@code blocking}; a lookup answered on the
 * caller's thread (in-process, {@link DeviceLocator#answersOnCallersThread}) lets the caller's thread queue the
 * stores; the hand-over runs on {@code blocking} once the stores are durable (their stage completes on the store's
 * writer thread, which must not do the rest).
 *
 * @param <G> a gateway, as the two ports name it
 */
public final class StoreFirstPushService<G> implements PushService {
    private static final Logger log = LoggerFactory.getLogger(StoreFirstPushService.class);

    private final DeviceLocator<G> locator;
    private final Gateways<G> gateways;
    private final DeviceStore devices;
    private final PushStore store;
    private final Executor blocking;

    public StoreFirstPushService(DeviceLocator<G> locator, Gateways<G> gateways, DeviceStore devices,
                                 PushStore store, Executor blocking) {
        this.locator = Objects.requireNonNull(locator, "locator");
        this.gateways = Objects.requireNonNull(gateways, "gateways");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.store = Objects.requireNonNull(store, "store");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
    }

    @Override
    public CompletableFuture<PushResult> push(PushMessage message, PushTargets targets) {
        if (targets instanceof PushTargets.Devices list) {
            return pushAll(List.of(new DevicePush(message, list.clientIds()))).get(0);
        }
        return broadcast(message);
    }

    @Override
    public List<CompletableFuture<PushResult>> pushAll(List<DevicePush> pushes) {
        PushRound<G> round = new PushRound<>(pushes);
        CompletableFuture<Map<G, List<String>>> located;
        try {
            located = round.allIds().isEmpty() ? CompletableFuture.completedFuture(Map.of())
                    : locator.locate(round.allIds());
        } catch (RuntimeException e) {
            located = CompletableFuture.failedFuture(e); // an empty id: the API checks ids, so a caller's bug
        }
        // In-process and done: still on the caller's thread. Otherwise on the locator's I/O thread, which must
        // not run the store (a remote answer ready at once is a race, and takes the same path as a late one).
        CompletableFuture<Void> stored = locator.answersOnCallersThread() && located.isDone()
                && !located.isCompletedExceptionally()
                ? storeFrom(round, located.join())
                : located.thenComposeAsync(where -> {
                    round.located(where);
                    return checkAndStore(round);
                }, blocking);
        CompletableFuture<Void> handedOver = round.hasQos1()
                ? stored.thenComposeAsync(durable -> handOver(round), blocking)
                : stored.thenCompose(nothingStored -> handOver(round));
        handedOver.thenCompose(done -> nudge(round)).whenComplete((done, failure) -> round.complete(failure));
        return round.results();
    }

    /** On the caller's thread: stores at once when no target needs the (blocking) device store, else hops. */
    private CompletableFuture<Void> storeFrom(PushRound<G> round, Map<G, List<String>> where) {
        round.located(where);
        if (round.qos1LocatedNowhere().isEmpty()) {
            return store(round, Set.of());
        }
        return CompletableFuture.supplyAsync(() -> checkAndStore(round), blocking).thenCompose(stores -> stores);
    }

    /** Blocking: which targets located nowhere are registered, then the stores. */
    private CompletableFuture<Void> checkAndStore(PushRound<G> round) {
        Set<String> nowhere = round.qos1LocatedNowhere();
        return store(round, nowhere.isEmpty() ? Set.of() : devices.existing(nowhere));
    }

    /** Hands every QoS 1 message to the store before waiting for any; completes once all are durable or failed. */
    private CompletableFuture<Void> store(PushRound<G> round, Set<String> registered) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        round.storeTargets(registered).forEach((entry, targets) -> {
            if (targets.isEmpty()) {
                return;
            }
            try {
                entry.stored = store.storeDurably(targets.connected(), targets.offline(), entry.message);
            } catch (RuntimeException e) {
                entry.stored = CompletableFuture.failedFuture(e);
            }
            writes.add(entry.stored.exceptionally(failure -> {
                log.warn("push {}: could not store it for {} device(s)", entry.message.messageId(),
                        targets.connected().size() + targets.offline().size(), failure);
                return null;
            }));
        });
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    /** One request per gateway; waits for every answer (a gateway that cannot be asked fails after the timeout). */
    private CompletableFuture<Void> handOver(PushRound<G> round) {
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        for (PushRound.GatewayShare<G> share : round.shares().values()) {
            CompletableFuture<List<HandedOver>> answer;
            try {
                answer = gateways.handOver(share.gateway(), share.pushes());
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answers.add(answer.handle((handed, failure) -> {
                if (failure == null && handed.size() != share.pushes().size()) {
                    failure = new IllegalStateException("answered " + handed.size() + " of "
                            + share.pushes().size() + " messages");
                }
                if (failure != null) {
                    log.warn("push to gateway {} failed, handling its {} device(s) of {} message(s) as offline: {}",
                            share.gateway(), share.deviceCount(), share.pushes().size(), failure.toString());
                }
                return failure == null ? handed : null;
            }).thenAccept(handed -> {
                synchronized (round) { // answers arrive on the gateways' threads
                    round.handedOver(share, handed);
                }
            }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() -> {
            synchronized (round) {
                round.countLocatedNowhere();
                logHandedOver(round);
            }
        });
    }

    private CompletableFuture<Void> nudge(PushRound<G> round) {
        Set<String> clientIds = round.toNudge();
        if (clientIds.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Map<G, List<String>>> located;
        try {
            located = locator.locate(clientIds);
        } catch (RuntimeException e) {
            located = CompletableFuture.failedFuture(e);
        }
        return located.thenCompose(where -> CompletableFuture.allOf(where.entrySet().stream()
                        .map(held -> tell(held.getKey(), held.getValue()))
                        .toArray(CompletableFuture[]::new)))
                .exceptionally(failure -> {
                    log.warn("could not check whether {} device(s) connected while their messages were stored: {}",
                            clientIds.size(), failure.toString());
                    return null;
                });
    }

    private CompletableFuture<Void> tell(G gateway, List<String> clientIds) {
        CompletableFuture<Void> told;
        try {
            told = gateways.storeChanged(gateway, clientIds);
        } catch (RuntimeException e) {
            told = CompletableFuture.failedFuture(e);
        }
        return told.exceptionally(failure -> {
            log.warn("could not tell gateway {} that {} of its devices have a stored message: {}", gateway,
                    clientIds.size(), failure.toString());
            return null;
        });
    }

    /** Each gateway is asked once; one that cannot be reached counts nothing (a broadcast is never stored). */
    private CompletableFuture<PushResult> broadcast(PushMessage message) {
        List<CompletableFuture<Integer>> reached = new ArrayList<>();
        for (G gateway : gateways.all()) {
            CompletableFuture<Integer> answer;
            try {
                answer = gateways.broadcast(gateway, message);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            reached.add(answer.exceptionally(failure -> {
                log.warn("broadcast {}: gateway {} failed, its devices do not get it: {}", message.messageId(),
                        gateway, failure.toString());
                return 0;
            }));
        }
        return CompletableFuture.allOf(reached.toArray(CompletableFuture[]::new)).thenApply(done -> {
            int online = reached.stream().mapToInt(CompletableFuture::join).sum();
            log.debug("broadcast {} handed to {} connected device(s)", message.messageId(), online);
            return new PushResult(message.messageId(), online, 0, 0);
        });
    }

    private static void logHandedOver(PushRound<?> round) {
        if (log.isDebugEnabled()) {
            for (PushRound.Entry entry : round.entries()) {
                log.debug("push {} (trace {}) handed to {} connected device(s), stored for {}, dropped for {}",
                        entry.message.messageId(), entry.message.traceId(), entry.online, entry.storedCount,
                        entry.droppedCount);
            }
        }
    }
}
