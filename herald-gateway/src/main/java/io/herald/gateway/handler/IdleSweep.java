package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.ErrorCode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that sent nothing (not even PING) for the idle timeout (twice the heartbeat interval, or an MQTT
 * connection's own: 1.5 times its keepalive); the device gets ERROR IDLE_TIMEOUT first, so that it can tell this close
 * from a network failure.
 *
 * <p>One periodic task per event loop scans that loop's connections, instead of a timer per connection (Netty's
 * {@code IdleStateHandler} keeps a handler, a pipeline context and a scheduled task for each, about 250 bytes at
 * tens of thousands of connections). A connection costs an array slot here and two fields in its session; the scan
 * compares one timestamp per connection, a few microseconds per thousand connections.
 *
 * <p>Precision: the scan runs every {@link #period} (a sixteenth of the timeout, at least 10 ms and at most 1 s), so a
 * silent connection is closed between the idle timeout and the timeout plus one period after the last frame it
 * sent, never before the timeout. Time comes from the event loop's ticker, so tests can move it. Everything
 * here runs on the connection's event loop: each loop's list is touched only by its own thread.
 */
public final class IdleSweep {
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int INITIAL_SLOTS = 64;

    private final long timeoutNanos;
    private final long periodNanos;
    private final Disconnector disconnector;
    /** The sweep of each event loop that holds connections now; a loop's entry goes when its last connection does. */
    private final Map<EventLoop, LoopSweep> loops = new ConcurrentHashMap<>();

    public IdleSweep(Duration idleTimeout, Disconnector disconnector) {
        this.timeoutNanos = idleTimeout.toNanos();
        this.periodNanos = period(idleTimeout).toNanos();
        this.disconnector = disconnector;
    }

    /** How often each event loop scans its connections for the idle timeout. */
    public static Duration period(Duration idleTimeout) {
        return Duration.ofNanos(Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, idleTimeout.toNanos() / 16)));
    }

    /** Starts watching a connection that just became active; its idle time counts from now. Event loop only. */
    public void watch(DeviceSession session) {
        EventLoop loop = session.channel().eventLoop();
        session.readAt(loop.ticker().nanoTime());
        loops.computeIfAbsent(loop, LoopSweep::new).add(session);
    }

    /** Stops watching a connection that closed. Event loop only. */
    public void unwatch(DeviceSession session) {
        LoopSweep sweep = loops.get(session.channel().eventLoop());
        if (sweep != null) {
            sweep.remove(session);
        }
    }

    /** One event loop's connections in an array (no node per connection); each session knows its slot. */
    private final class LoopSweep implements Runnable {
        private final EventLoop loop;
        private final ScheduledFuture<?> task;
        private DeviceSession[] sessions = new DeviceSession[INITIAL_SLOTS];
        private int size;

        LoopSweep(EventLoop loop) {
            this.loop = loop;
            this.task = loop.scheduleAtFixedRate(this, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }

        void add(DeviceSession session) {
            if (session.sweepSlot() >= 0) {
                return;
            }
            if (size == sessions.length) {
                sessions = Arrays.copyOf(sessions, size * 2);
            }
            session.sweepSlot(size);
            sessions[size++] = session;
        }

        /** Moves the last session into the removed one's slot: O(1), and the array stays dense for the scan. */
        void remove(DeviceSession session) {
            int slot = session.sweepSlot();
            if (slot < 0 || slot >= size || sessions[slot] != session) {
                return;
            }
            DeviceSession last = sessions[--size];
            sessions[slot] = last;
            last.sweepSlot(slot);
            sessions[size] = null;
            session.sweepSlot(-1);
            if (size == 0) {
                task.cancel(false);
                loops.remove(loop, this);
            }
        }

        @Override
        public void run() {
            long now = loop.ticker().nanoTime();
            // downwards: a removal moves the last session, already scanned, into the freed slot
            for (int i = size - 1; i >= 0; i--) {
                DeviceSession session = sessions[i];
                long own = session.idleTimeoutNanos();
                long timeout = own > 0 ? own : timeoutNanos;
                if (now - session.lastReadNanos() >= timeout) {
                    remove(session); // closing: it must not be told twice
                    disconnector.protocolError(session.channel(), ErrorCode.IDLE_TIMEOUT, "nothing received for "
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms (" + (own > 0 ? "1.5 times the MQTT keepalive"
                            : "twice the heartbeat interval") + ")");
                }
            }
        }
    }
}
