package io.herald.gateway.session;

import io.netty.channel.Channel;

/**
 * Why reading from one connection is paused. Several independent reasons can stop reading at once (a token being
 * checked, too many upstream messages in handling, a full outbound buffer, a close under way); the connection is
 * read again only when none holds, so lifting one reason never undoes another. Event loop only.
 *
 * <p>The mask is an int field of {@link DeviceSession} rather than an object of its own: one object less per
 * connection. This class holds the reasons and the arithmetic.
 */
public final class ReadPause {
    /** A reason to stop reading; each is a bit of the pause mask. */
    public enum Reason {
        /** AUTH is being checked: nothing may be processed for an unknown device. */
        AUTHENTICATING,
        /** Too many of the connection's upstream messages are in handling. */
        UPSTREAM_BACKLOG,
        /**
         * The outbound buffer is above its high water mark: every frame read may cause an answer (PONG, ACK,
         * ERROR, a WebSocket pong), so a device that does not read gets nothing more read either.
         */
        UNWRITABLE,
        /**
         * A PING came while the PONG for an earlier one was still waiting to be written: the device does not read
         * what it asks for. Lifted when that PONG is out.
         */
        PONG_PENDING,
        /** The connection is being closed. Never lifted. */
        CLOSING
    }

    private ReadPause() {
    }

    /** The pause mask {@code reasons} with {@code reason} added. */
    static int with(int reasons, Reason reason) {
        return reasons | bit(reason);
    }

    /** The pause mask {@code reasons} with {@code reason} lifted. */
    static int without(int reasons, Reason reason) {
        return reasons & ~bit(reason);
    }

    static boolean holds(int reasons, Reason reason) {
        return (reasons & bit(reason)) != 0;
    }

    private static int bit(Reason reason) {
        return 1 << reason.ordinal();
    }

    /**
     * Reads from {@code channel} only when the mask {@code reasons} is empty. Call it with the mask already stored:
     * turning reading on may read at once, and the frames read then must see the new mask.
     */
    static void apply(Channel channel, int reasons) {
        boolean read = reasons == 0;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read); // turning it on also asks for the next read
        }
    }
}
