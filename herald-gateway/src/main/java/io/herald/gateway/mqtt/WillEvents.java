package io.herald.gateway.mqtt;

import io.herald.core.event.Events;
import io.herald.core.session.SessionEvents;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.gateway.session.DeviceSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * An MQTT device's will, when its connection ends without DISCONNECT (or with MQTT 5's "disconnect with will"): the
 * gateway publishes it to nobody (a device's topics are its own) but reports it as a presence event: the backend's
 * {@code device.will} event (docs/events.md), a log line on {@code herald.event.will} and the counter
 * {@code herald_mqtt_wills_total}.
 *
 * <p>MQTT 5's Will Delay Interval is applied: the will waits on the connection's event loop, and is dropped (counted
 * in {@code herald_mqtt_wills_cancelled_total}) when by then the device has a session again, on this gateway or, in a
 * cluster, on another ({@link SessionEvents#connectedElsewhere}). The waiting wills are bounded: a delay is cut to
 * {@link #MAX_DELAY_SECONDS}, and a will that would take the waiting ones past {@link #MAX_WAITING_BYTES} (payload,
 * topic and a fixed overhead each: at most about 130,000 wills of no payload) is reported at once; early rather than lost. (A payload above 4 KiB is not kept at all: the event gives its length.) A gateway that stops drops the wills it is still delaying: its devices
 * were told to reconnect, which is what the delay waits for.
 */
final class WillEvents {
    /** The longest delay applied; MQTT allows 2^32 - 1 s, and a waiting will holds its payload in memory. */
    static final long MAX_DELAY_SECONDS = 24 * 3600;
    /** Memory of all the wills waiting for their delay on this gateway: payloads, topics and the overhead below. */
    static final long MAX_WAITING_BYTES = 64L * 1024 * 1024;
    /** What a waiting will costs besides its payload and topic: the scheduled task, the owner's ids, the record. */
    static final long WAITING_OVERHEAD_BYTES = 512;

    private static final Logger log = LoggerFactory.getLogger("herald.event.will");

    private final Events events;
    private final ChannelRegistry registry;
    private final SessionEvents sessions;
    private final Counter reported;
    private final Counter cancelled;
    private final AtomicLong waitingWills = new AtomicLong();
    private final AtomicLong waitingBytes = new AtomicLong();

    WillEvents(MeterRegistry meters, Events events, ChannelRegistry registry, SessionEvents sessions) {
        this.events = events;
        this.registry = registry;
        this.sessions = sessions;
        this.reported = Counter.builder("herald.mqtt.wills")
                .description("Wills of MQTT devices whose connection ended without DISCONNECT (presence events)")
                .register(meters);
        this.cancelled = Counter.builder("herald.mqtt.wills.cancelled")
                .description("Delayed wills dropped because the device had connected again within the delay")
                .register(meters);
        Gauge.builder("herald.mqtt.wills.waiting", waitingWills, AtomicLong::get)
                .description("Wills waiting for their MQTT 5 Will Delay Interval").register(meters);
    }

    /** Whose will it is: all a waiting will keeps of its connection (not the closed channel and its pipeline). */
    private record Owner(String clientId, String sessionId, String logPrefix) {
        static Owner of(DeviceSession session) {
            return new Owner(session.clientId(), session.sessionId(), session.logPrefix());
        }
    }

    /** The connection of {@code session} ended with its will due; on its event loop. */
    void connectionEnded(DeviceSession session, MqttConnection.Will will, EventLoop loop) {
        Owner owner = Owner.of(session);
        long delay = Math.min(will.delaySeconds(), MAX_DELAY_SECONDS);
        long bytes = WAITING_OVERHEAD_BYTES + will.keptBytes();
        if (delay == 0 || waitingBytes.addAndGet(bytes) > MAX_WAITING_BYTES) {
            if (delay > 0) {
                waitingBytes.addAndGet(-bytes);
            }
            report(owner, will, 0);
            return;
        }
        waitingWills.incrementAndGet();
        loop.schedule(() -> {
            waitingWills.decrementAndGet();
            waitingBytes.addAndGet(-bytes);
            due(owner, will, delay);
        }, delay, TimeUnit.SECONDS);
    }

    /**
     * The delay is over: reported unless the device has a session again. Any connection of the id in this gateway's
     * registry is a new one: the ended one left it when it closed, at least a second ago.
     */
    private void due(Owner owner, MqttConnection.Will will, long delay) {
        if (registry.find(owner.clientId()) != null) {
            cancelled.increment();
            return;
        }
        sessions.connectedElsewhere(owner.clientId()).whenComplete((elsewhere, error) -> {
            if (Boolean.TRUE.equals(elsewhere)) {
                cancelled.increment();
            } else {
                report(owner, will, delay);
            }
        });
    }

    private void report(Owner owner, MqttConnection.Will will, long delay) {
        reported.increment();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("clientId", owner.clientId())) {
            log.info("{} will: connection lost without DISCONNECT{}; will topic {}, {} byte(s), QoS {}{}",
                    owner.logPrefix(), delay == 0 ? "" : " and not back within " + delay + " s", will.topic(),
                    will.payloadBytes(), will.qos(), will.retain() ? ", retain" : "");
        }
        events.deviceWill(owner.clientId(), owner.sessionId(), will.topic(), will.payload(), will.payloadBytes(),
                will.qos(), will.retain(), will.contentType(), delay);
    }
}
