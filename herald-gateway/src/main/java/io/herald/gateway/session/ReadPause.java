package io.herald.gateway.session;

import io.netty.channel.Channel;

/**
 * Why reading from one connection is paused. Several independent reasons can stop reading at once (a token being
 * checked, too many upstream messages in handling, a full outbound buffer, a close under way); the connection is
 * read again only when none holds, so lifting one reason never undoes another. Event loop only.
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

    private final Channel channel;
    private int reasons;

    ReadPause(Channel channel) {
        this.channel = channel;
    }

    public void pause(Reason reason) {
        reasons |= 1 << reason.ordinal();
        apply();
    }

    public void resume(Reason reason) {
        reasons &= ~(1 << reason.ordinal());
        apply();
    }

    public boolean isPaused(Reason reason) {
        return (reasons & 1 << reason.ordinal()) != 0;
    }

    private void apply() {
        boolean read = reasons == 0;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read); // turning it on also asks for the next read
        }
    }
}
