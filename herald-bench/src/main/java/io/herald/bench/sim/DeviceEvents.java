package io.herald.bench.sim;

import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;

/** What a simulated connection reports; called on the connection's event loop, so implementations must be quick. */
public interface DeviceEvents {

    /** AUTH_OK arrived: the device is online. */
    default void authenticated(SimulatedDevice device) {
    }

    /** A MESSAGE arrived (already ACKed when QoS 1); {@code receivedMicros} is {@link io.herald.bench.measure.BenchClock} time. */
    default void message(SimulatedDevice device, MessageFrame message, long receivedMicros) {
    }

    /** The server ACKed an upstream MESSAGE; {@code receivedNanos} is {@link System#nanoTime()}. */
    default void ack(SimulatedDevice device, AckFrame ack, long receivedNanos) {
    }

    /** An authenticated connection closed. */
    default void disconnected(SimulatedDevice device) {
    }
}
