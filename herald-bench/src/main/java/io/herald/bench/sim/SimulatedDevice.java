package io.herald.bench.sim;

import io.herald.protocol.frame.Frame;
import io.netty.channel.Channel;

/** One simulated device: its id and, while authenticated, its connection. */
public final class SimulatedDevice {
    private final String clientId;
    private final int index;
    private volatile Channel channel;
    private volatile long droppedAtNanos;
    /** What the gateway's last RECONNECT notice asked the device to wait before reconnecting (ms); 0 when none. */
    private volatile long askedDelayMillis;

    public SimulatedDevice(String clientId, int index) {
        this.clientId = clientId;
        this.index = index;
    }

    public String clientId() {
        return clientId;
    }

    /** Position in the fleet, 0-based; picks the local source address. */
    public int index() {
        return index;
    }

    public boolean isOnline() {
        return channel != null;
    }

    public Channel channel() {
        return channel;
    }

    /** When the last authenticated connection closed ({@link System#nanoTime()}), or 0. */
    public long droppedAtNanos() {
        return droppedAtNanos;
    }

    void online(Channel authenticated) {
        channel = authenticated;
    }

    /** Forgets the connection if it is the current one; true when the device was online on it. */
    boolean offline(Channel closed) {
        if (channel != closed) {
            return false;
        }
        channel = null;
        droppedAtNanos = System.nanoTime();
        return true;
    }

    /** The gateway asked, in a RECONNECT notice, to wait this long before reconnecting once the connection closes. */
    void askedToWait(long delayMillis) {
        askedDelayMillis = Math.max(0, delayMillis);
    }

    /** The wait the last RECONNECT notice asked for, once: the next drop starts from none again. */
    public long takeAskedDelayMillis() {
        long delay = askedDelayMillis;
        askedDelayMillis = 0;
        return delay;
    }

    /** Writes a frame if online; false when offline. Safe from any thread. */
    public boolean send(Frame frame) {
        Channel current = channel;
        if (current == null) {
            return false;
        }
        current.writeAndFlush(frame, current.voidPromise());
        return true;
    }

    /** Closes the connection if any (the device then goes offline through the normal close path). */
    public void close() {
        Channel current = channel;
        if (current != null) {
            current.close();
        }
    }
}
