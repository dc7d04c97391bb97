package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.gateway.session.SessionIds;
import io.herald.gateway.session.SessionManager;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Opens a {@link DeviceSession} when a connection becomes active and closes it (unbinding the client id and
 * storing undelivered messages) when it goes inactive; shows the {@link IdleSweep} each frame read; pauses reading
 * while the connection is unwritable and forwards writability changes to delivery.
 */
@Sharable
public final class SessionLifecycleHandler extends ChannelInboundHandlerAdapter {
    private final SessionManager sessions;
    private final String transport;
    private final SessionIds sessionIds;
    private final IdleSweep idleSweep;

    /**
     * @param sessionIds the node's one source of session ids, shared by every transport
     * @param idleSweep  the node's idle sweep, shared by every transport
     */
    public SessionLifecycleHandler(SessionManager sessions, String transport, SessionIds sessionIds,
                                   IdleSweep idleSweep) {
        this.sessions = sessions;
        this.transport = transport;
        this.sessionIds = sessionIds;
        this.idleSweep = idleSweep;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (session == null) {
            session = DeviceSession.attach(ctx.channel(), transport, sessionIds);
        }
        idleSweep.watch(session);
        ctx.fireChannelActive();
    }

    /** Every decoded frame (and decode failure) counts as the device being alive, as PING does. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DeviceSession.of(ctx.channel()).readAt(ctx.executor().ticker().nanoTime());
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (session != null) {
            idleSweep.unwatch(session);
            sessions.closed(session);
        }
        ctx.fireChannelInactive();
    }

    /**
     * Every answer the gateway writes (PONG, ACK, ERROR, a WebSocket pong) is caused by something it read, so
     * reading stops while the outbound buffer is above its high water mark and resumes when it drains: a device
     * that sends and never reads is held to one outbound buffer, its further bytes wait in TCP's flow control.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (session != null) {
            if (ctx.channel().isWritable()) {
                session.readPause().resume(ReadPause.Reason.UNWRITABLE);
                if (session.downstream() != null) {
                    session.downstream().writable();
                }
            } else {
                session.readPause().pause(ReadPause.Reason.UNWRITABLE);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }
}
