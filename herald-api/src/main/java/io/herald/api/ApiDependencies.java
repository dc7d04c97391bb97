package io.herald.api;

import io.herald.core.device.DeviceService;
import io.herald.core.gateway.GatewayLocator;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.push.PushService;
import io.herald.core.session.SessionDirectory;
import io.herald.core.store.OfflineStore;
import io.herald.core.store.UpstreamArchive;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the HTTP API needs from the rest of the node, grouped by feature so each group stays small.
 *
 * @param clock the time for message timestamps, TTLs and pending-message counts
 */
public record ApiDependencies(Devices devices, Push push, Ops ops, Clock clock) {
    public ApiDependencies {
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(clock, "clock");
    }

    /** Registration, login and the per-device admin endpoints. All stores are blocking. */
    public record Devices(DeviceService deviceService, SessionDirectory sessions, GatewayLocator gateways,
                          OfflineStore offlineStore, UpstreamArchive upstreamArchive) {
        public Devices {
            Objects.requireNonNull(deviceService, "deviceService");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(gateways, "gateways");
            Objects.requireNonNull(offlineStore, "offlineStore");
            Objects.requireNonNull(upstreamArchive, "upstreamArchive");
        }
    }

    /** The push endpoint: where messages go and where their ids come from. */
    public record Push(PushService pushService, MessageIdGenerator idGenerator) {
        public Push {
            Objects.requireNonNull(pushService, "pushService");
            Objects.requireNonNull(idGenerator, "idGenerator");
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
}
