package io.herald.gateway.delivery;

import io.herald.core.device.DeviceStore;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
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
 * Pushes through this gateway: targets connected here get the message through their delivery queues, grouped
 * by event loop; registered targets that are offline get a QoS 1 message stored in one batch; unknown ids and
 * offline targets of a QoS 0 message are counted as dropped.
 *
 * <p>A device may connect between the lookup and the store; it has then already read the store, so each
 * freshly connected target is nudged to read the store again.
 */
public final class LocalPushService implements PushService {
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

    private CompletableFuture<PushResult> pushTo(PushMessage message, List<String> clientIds) {
        Set<String> unique = new LinkedHashSet<>(clientIds);
        List<Channel> connected = new ArrayList<>();
        List<String> offlineIds = new ArrayList<>();
        for (String clientId : unique) {
            Channel channel = registry.find(clientId);
            if (channel != null) {
                connected.add(channel);
            } else {
                offlineIds.add(clientId);
            }
        }
        writer.deliver(connected, message);
        int online = connected.size();
        if (offlineIds.isEmpty() || message.qos() == Qos.AT_MOST_ONCE) {
            logAccepted(message, "devices", online, 0);
            return CompletableFuture.completedFuture(
                    new PushResult(message.messageId(), online, 0, offlineIds.size()));
        }
        String traceId = MDC.get("traceId");
        return CompletableFuture.supplyAsync(() -> {
            try (MDC.MDCCloseable ignored = traceId == null ? null : MDC.putCloseable("traceId", traceId)) {
                Set<String> registered = devices.existing(offlineIds);
                offline.storeForMany(registered, message);
                registered.forEach(sessions::storeChanged);
                logAccepted(message, "devices", online, registered.size());
                return new PushResult(message.messageId(), online, registered.size(),
                        offlineIds.size() - registered.size());
            }
        }, blocking);
    }

    private static void logAccepted(PushMessage message, String kind, int online, int stored) {
        if (log.isDebugEnabled()) {
            log.debug("push {} ({}) handed to {} connected device(s), stored for {}", message.messageId(), kind,
                    online, stored);
        }
    }
}
