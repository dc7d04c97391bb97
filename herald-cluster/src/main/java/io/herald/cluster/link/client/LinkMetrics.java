package io.herald.cluster.link.client;

import io.herald.cluster.link.LinkTimeoutException;
import io.herald.cluster.link.LinkUnavailableException;
import io.herald.cluster.link.wire.LinkFrameType;
import io.herald.core.concurrent.Stages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * An API node's figures of its links to the gateways: every request timed by type and outcome (the timer's count is
 * the request count), and the reconnects per gateway. Request timers are registered up front, so a dashboard sees a
 * zero before the first request rather than no series.
 */
final class LinkMetrics {
    static final String REQUESTS = "herald.link.request.duration";
    static final String RECONNECTS = "herald.link.reconnects";

    /** How a request ended; the {@code outcome} tag. */
    enum Outcome {
        /** The gateway answered. */
        OK,
        /** No answer within the request timeout. */
        TIMEOUT,
        /** The link was down (or dropped while the request waited): the request was not, or not fully, sent. */
        UNAVAILABLE,
        /** The gateway answered with an error. */
        ERROR;

        final String tag = name().toLowerCase(Locale.ROOT);

        static Outcome of(Throwable failure) {
            if (failure == null) {
                return OK;
            }
            Throwable cause = Stages.cause(failure);
            if (cause instanceof LinkTimeoutException) {
                return TIMEOUT;
            }
            if (cause instanceof LinkUnavailableException) {
                return UNAVAILABLE;
            }
            return ERROR; // a LinkRemoteException, or a request that could not be encoded
        }
    }

    private final MeterRegistry registry;
    private final Map<LinkFrameType, Map<Outcome, Timer>> requests = new EnumMap<>(LinkFrameType.class);

    LinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (LinkFrameType type : LinkFrameType.values()) {
            if (!isRequest(type)) {
                continue;
            }
            Map<Outcome, Timer> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Timer.builder(REQUESTS)
                        .description("Requests from this API node to the gateways over the internal link, from sent"
                                + " to answered or failed, by request type and outcome (ok, timeout, unavailable,"
                                + " error)")
                        .tag("type", type.name().toLowerCase(Locale.ROOT))
                        .tag("outcome", outcome.tag)
                        .register(registry));
            }
            requests.put(type, byOutcome);
        }
    }

    /** Request codes are below the handshake's 0x40; answers have the high bit set. */
    private static boolean isRequest(LinkFrameType type) {
        return type.code() < 0x40;
    }

    Timer.Sample start() {
        return Timer.start(registry);
    }

    void completed(Timer.Sample sample, LinkFrameType type, Throwable failure) {
        Map<Outcome, Timer> byOutcome = requests.get(type);
        if (byOutcome != null) {
            sample.stop(byOutcome.get(Outcome.of(failure)));
        }
    }

    /** The counter of reconnect attempts to that gateway (after a failed attempt or a dropped connection). */
    Counter reconnects(String gatewayId) {
        return Counter.builder(RECONNECTS)
                .description("Reconnect attempts of this API node's link to a gateway, after a connection dropped or"
                        + " an attempt failed")
                .tag("gateway", gatewayId)
                .register(registry);
    }
}
