package io.herald.gateway.delivery;

import io.herald.core.device.DeviceStore;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
import io.herald.core.push.StoredPushService;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.gateway.session.SessionManager;
import io.herald.protocol.Qos;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Pushes through this gateway. A QoS 1 message is first stored, in one batch, for every registered target (the
 * connected ones too), and only then handed to the connected targets' delivery queues, grouped by event loop: their
 * ACK deletes it, so a gateway killed before the ACK loses nothing. A QoS 0 message goes to the connected targets
 * only. Unknown ids and offline targets of a QoS 0 message are counted as dropped; a connected target counts as
 * online, a registered offline one as stored.
 *
 * <p>A device may connect between the lookup and the store; it has then already read the store, so each
 * registered offline target is nudged to read the store again.
 */
public final class LocalPushService implements PushService, StoredPushService {
    private static final Logger log = LoggerFactory.getLogger(LocalPushService.class);

    private final ChannelRegistry registry;
    private final SessionManager sessions;
    private final BroadcastWriter writer;
    private final OfflineStorage offline;
    private final DeviceStore devices;
    private final Executor blocking;

    public LocalPushService(ChannelRegistry registry, SessionManager sessions, BroadcastWriter writer,
                            OfflineStorage offline, DeviceStore devices, Executor blocking) {
        this.registry = registry;
        this.sessions = sessions;
        this.writer = writer;
        this.offline = offline;
        this.devices = devices;
        this.blocking = blocking;
    }

    @Override
    public CompletableFuture<PushResult> push(PushMessage message, PushTargets targets) {
        if (targets instanceof PushTargets.Devices list) {
            return pushTo(message, list.clientIds());
        }
        int online = writer.broadcast(registry, message);
        logAccepted(message, "broadcast", online, 0);
        return CompletableFuture.completedFuture(new PushResult(message.messageId(), online, 0, 0));
    }

    /** The caller (an API node) stored the message for every id: nothing is written here. */
    @Override
    public CompletableFuture<PushResult> pushStored(PushMessage message, List<String> clientIds) {
        Lookup targets = lookup(clientIds);
        writer.deliverStored(targets.connected(), message);
        targets.offline().forEach(sessions::storeChanged); // it may have connected here since the caller looked
        logAccepted(message, "devices, stored by the caller", targets.connected().size(), targets.offline().size());
        return CompletableFuture.completedFuture(new PushResult(message.messageId(), targets.connected().size(),
                targets.offline().size(), 0));
    }

    private CompletableFuture<PushResult> pushTo(PushMessage message, List<String> clientIds) {
        Lookup targets = lookup(clientIds);
        int online = targets.connected().size();
        if (message.qos() == Qos.AT_MOST_ONCE) {
            writer.deliver(targets.connected(), message);
            logAccepted(message, "devices", online, 0);
            return CompletableFuture.completedFuture(
                    new PushResult(message.messageId(), online, 0, targets.offline().size()));
        }
        String traceId = MDC.get("traceId");
        // Store, wait for the write to be durable without holding a thread (many pushes then share one group commit
        // and one flush of an embedded database's file), then hand over and answer on the blocking pool (the
        // durable stage completes on the store's own thread, which must not do the rest).
        CompletableFuture<Set<String>> stored = targets.offline().isEmpty()
                ? storeFor(targets, Set.of(), message) // no registry lookup to block on: the store only queues
                : CompletableFuture.supplyAsync(() -> {
                    try (MDC.MDCCloseable ignored = traceId == null ? null : MDC.putCloseable("traceId", traceId)) {
                        return storeFor(targets, devices.existing(targets.offline()), message);
                    }
                }, blocking).thenCompose(registered -> registered);
        return stored.thenApplyAsync(registered -> {
            try (MDC.MDCCloseable ignored = traceId == null ? null : MDC.putCloseable("traceId", traceId)) {
                writer.deliverStored(targets.connected(), message);
                registered.forEach(sessions::storeChanged);
                logAccepted(message, "devices", online, registered.size());
                List<String> unknown = new ArrayList<>(targets.offline());
                unknown.removeAll(registered);
                return new PushResult(message.messageId(), online, registered.size(), unknown.size())
                        .withUnknown(unknown);
            }
        }, blocking);
    }

    /** Stores for the connected targets and the registered offline ones; completes with the latter once durable. */
    private CompletableFuture<Set<String>> storeFor(Lookup targets, Set<String> registered, PushMessage message) {
        // a connected device is registered: it logged in
        return offline.storeForMany(targets.connectedIds(), registered, message).thenApply(durable -> registered);
    }

    /** The targets, each once: the channels of those connected here, and the ids of the others. */
    private Lookup lookup(List<String> clientIds) {
        List<Channel> connected = new ArrayList<>();
        List<String> connectedIds = new ArrayList<>();
        List<String> offlineIds = new ArrayList<>();
        for (String clientId : new LinkedHashSet<>(clientIds)) {
            Channel channel = registry.find(clientId);
            if (channel != null) {
                connected.add(channel);
                connectedIds.add(clientId);
            } else {
                offlineIds.add(clientId);
            }
        }
        return new Lookup(connected, connectedIds, offlineIds);
    }

    private record Lookup(List<Channel> connected, List<String> connectedIds, List<String> offline) {
    }

    private static void logAccepted(PushMessage message, String kind, int online, int stored) {
        if (log.isDebugEnabled()) {
            log.debug("push {} ({}) handed to {} connected device(s), stored for {}", message.messageId(), kind,
                    online, stored);
        }
    }
}
