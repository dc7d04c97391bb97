package io.herald.api;

import io.herald.core.device.DeviceService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The API's own meters. Every tag value is registered up front so that dashboards and alerts see a zero rather
 * than a missing series before the first event.
 */
final class ApiMetrics {

    /** Whom a push addresses; the tag value of {@code herald_push_requests_total}. */
    enum PushKind {
        DEVICES("devices"), TAG("tag"), BROADCAST("broadcast");

        final String tag;

        PushKind(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final Counter loginsOk;
    private final Counter loginsFailed;
    private final Counter loginsLimited;
    private final Counter registrationsLimited;
    private final Map<DeviceService.Registration, Counter> registrations =
            new EnumMap<>(DeviceService.Registration.class);
    private final Map<PushKind, Counter> pushRequests = new EnumMap<>(PushKind.class);
    private final Counter pushTargets;
    private final Counter offlineStored;
    private final Map<PushKind, Timer> pushOk = new EnumMap<>(PushKind.class);
    private final Map<PushKind, Timer> pushFailed = new EnumMap<>(PushKind.class);

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        loginsOk = loginCounter("ok");
        loginsFailed = loginCounter("failed");
        loginsLimited = limitedCounter("login");
        registrationsLimited = limitedCounter("registration");
        registrations.put(DeviceService.Registration.CREATED, registrationCounter("created"));
        registrations.put(DeviceService.Registration.ALREADY_REGISTERED, registrationCounter("existing"));
        registrations.put(DeviceService.Registration.CONFLICT, registrationCounter("conflict"));
        for (PushKind kind : PushKind.values()) {
            pushRequests.put(kind, Counter.builder("herald.push.requests")
                    .description("Push requests accepted by the HTTP API")
                    .tag("kind", kind.tag)
                    .register(registry));
            pushOk.put(kind, pushTimer(kind, "ok"));
            pushFailed.put(kind, pushTimer(kind, "failed"));
        }
        pushTargets = Counter.builder("herald.push.targets")
                .description("Target devices of accepted pushes: distinct ids, or devices online for a broadcast")
                .register(registry);
        // The same meter as the gateway's (one registry in standalone): one description for both.
        offlineStored = Counter.builder("herald.offline.stored")
                .description("QoS 1 messages stored for a device not taking them live: pushed while it was offline (counted by the"
                        + " API), spilled from a full queue or left unacked at a disconnect (counted by the gateway)")
                .register(registry);
    }

    private Counter loginCounter(String result) {
        return Counter.builder("herald.http.logins")
                .description("Device logins over the HTTP API")
                .tag("result", result)
                .register(registry);
    }

    private Counter limitedCounter(String endpoint) {
        return Counter.builder("herald.http.limited")
                .description("Device requests refused with 429 because their client id or address was over a limit")
                .tag("endpoint", endpoint)
                .register(registry);
    }

    private Counter registrationCounter(String result) {
        return Counter.builder("herald.http.registrations")
                .description("Device registrations over the HTTP API")
                .tag("result", result)
                .register(registry);
    }

    private Timer pushTimer(PushKind kind, String outcome) {
        return Timer.builder("herald.push.latency")
                .description("From a push request being accepted to the push service completing it")
                // Buckets (a Prometheus histogram), not a summary: quantiles across nodes need them, e.g.
                // histogram_quantile(0.99, sum by (le) (rate(herald_push_latency_seconds_bucket[5m]))).
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .tag("kind", kind.tag)
                .tag("outcome", outcome)
                .register(registry);
    }

    void login(boolean ok) {
        (ok ? loginsOk : loginsFailed).increment();
    }

    void loginLimited() {
        loginsLimited.increment();
    }

    void registrationLimited() {
        registrationsLimited.increment();
    }

    void registration(DeviceService.Registration outcome) {
        registrations.get(outcome).increment();
    }

    void pushAccepted(PushKind kind) {
        pushRequests.get(kind).increment();
    }

    /** Messages a push stored for offline devices; the gateway counts its own spills and hand-offs. */
    void offlineStored(int count) {
        if (count > 0) {
            offlineStored.increment(count);
        }
    }

        void pushTargets(int count) {
        pushTargets.increment(count);
    }

    Timer.Sample startPush() {
        return Timer.start(registry);
    }

    void pushCompleted(Timer.Sample sample, PushKind kind, boolean ok) {
        sample.stop((ok ? pushOk : pushFailed).get(kind));
    }
}
