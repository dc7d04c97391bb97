package io.herald.api;

import io.herald.core.device.DeviceService;
import io.herald.core.device.DeviceTags;
import io.herald.core.gateway.GatewayLocator;
import io.herald.core.idempotency.IdempotencyStore;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.push.PushService;
import io.herald.core.session.SessionDirectory;
import io.herald.core.store.MessageStatuses;
import io.herald.core.store.OfflineStore;
import io.herald.core.store.UpstreamArchive;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the HTTP API needs from the rest of the node, grouped by feature so each group stays small.
 *
 * @param clock the time for message timestamps, TTLs and pending-message counts
 */
public record ApiDependencies(Devices devices, Push push, Ops ops, Clock clock, Console console) {
    public ApiDependencies {
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(console, "console");
    }

    /** A node the console names "api" and that sees no gateway of its own (tests of single routes). */
    public ApiDependencies(Devices devices, Push push, Ops ops, Clock clock) {
        this(devices, push, ops, clock, new Console("api", "api", List::of));
    }

    /** Registration, login, the per-device admin endpoints and device tags. All stores are blocking. */
    public record Devices(DeviceService deviceService, SessionDirectory sessions, GatewayLocator gateways,
                          OfflineStore offlineStore, UpstreamArchive upstreamArchive, DeviceTags tags) {
        public Devices {
            Objects.requireNonNull(tags, "tags");
            Objects.requireNonNull(deviceService, "deviceService");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(gateways, "gateways");
            Objects.requireNonNull(offlineStore, "offlineStore");
            Objects.requireNonNull(upstreamArchive, "upstreamArchive");
        }
    }

    /**
     * The push endpoints: where messages go, where their ids come from, where the {@code Idempotency-Key}s of
     * pushes are kept (shared by every API node; a blocking store) and what became of QoS 1 messages (blocking).
     */
    public record Push(PushService pushService, MessageIdGenerator idGenerator, IdempotencyStore idempotencyKeys,
                       MessageStatuses messageStatuses) {
        public Push {
            Objects.requireNonNull(pushService, "pushService");
            Objects.requireNonNull(idGenerator, "idGenerator");
            Objects.requireNonNull(idempotencyKeys, "idempotencyKeys");
            Objects.requireNonNull(messageStatuses, "messageStatuses");
        }
    }

    /**
     * Operations: the registry that {@code /metrics} scrapes (the API registers its own meters in it too) and the
     * checks behind {@code /health/ready} (also {@code /health}: the dependencies the node needs to serve) and
     * {@code /health/live} (the process itself: a failure there means restart it, not just route around it).
     */
    public record Ops(PrometheusMeterRegistry meterRegistry, List<HealthCheck> healthChecks,
                      List<HealthCheck> livenessChecks) {
        public Ops {
            Objects.requireNonNull(meterRegistry, "meterRegistry");
            healthChecks = List.copyOf(Objects.requireNonNull(healthChecks, "healthChecks"));
            livenessChecks = List.copyOf(Objects.requireNonNull(livenessChecks, "livenessChecks"));
            requireUniqueNames(healthChecks);
            requireUniqueNames(livenessChecks);
        }

        /** Readiness checks only: live is the HTTP listener answering. */
        public Ops(PrometheusMeterRegistry meterRegistry, List<HealthCheck> healthChecks) {
            this(meterRegistry, healthChecks, List.of());
        }

        private static void requireUniqueNames(List<HealthCheck> checks) {
            Set<String> names = new HashSet<>();
            for (HealthCheck check : checks) {
                String name = check.name();
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("health check names must not be blank");
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("two health checks are named \"" + name + "\"");
                }
            }
        }
    }

    /**
     * What the console's overview shows besides this node's own health and meters.
     *
     * @param nodeRole the role this node runs ({@code standalone}, {@code api})
     * @param nodeId   this node's name in the overview ({@code api-1})
     * @param gateways the device gateways this node knows of (cluster: from ZooKeeper); empty when the node holds
     *                 the device connections itself (standalone: its {@code herald.connections} meter counts them)
     */
    public record Console(String nodeRole, String nodeId, Supplier<List<GatewayStatus>> gateways) {
        public Console {
            Objects.requireNonNull(nodeRole, "nodeRole");
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(gateways, "gateways");
        }
    }
}
