package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.gateway.session.SessionIds;
import io.herald.gateway.session.SessionManager;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;

/**
 * The one stage an authenticated connection keeps behind its frame decoder. Each stage costs a handler context per
 * connection (64 bytes, tens of thousands of connections per gateway), so this one does four jobs, each kept in its
 * own class and only called from here:
 * <ul>
 *   <li>the session's life: opens a {@link DeviceSession} when the connection becomes active and closes it
 *       (unbinding the client id, storing undelivered messages) when it goes inactive; shows the {@link IdleSweep}
 *       each frame read; pauses reading while the connection is unwritable;</li>
 *   <li>every decoded frame goes to the {@link DeviceFrameDispatcher} (before AUTH_OK it passes frames on to the
 *       auth gate, which sits behind this stage);</li>
 *   <li>frames out are encoded and counted by the {@link MeteredFrameEncoder}: frame handlers called from here
 *       therefore write through the channel (from the tail), not through this stage's context;</li>
 *   <li>an exception raised here or in front (decoder, TLS, WebSocket) is answered by the {@link ExceptionHandler};
 *       until AUTH_OK the same handler also sits last, behind the gate, for the stages there.</li>
 * </ul>
 * One per transport (it names the transport in the session), shared by its connections.
 */
@Sharable
public final class DeviceStage extends ChannelDuplexHandler {
    private final SessionManager sessions;
    private final String transport;
    private final SessionIds sessionIds;
    private final IdleSweep idleSweep;
    private final DeviceFrameDispatcher frames;
    private final ChannelOutboundHandler encoder;
    private final ExceptionHandler exceptions;

    /**
     * The per-connection logic this stage calls, shared by every transport.
     *
     * @param encoder frames out: encoded to bytes ({@link MeteredFrameEncoder}), or counted and passed on to the
     *                MQTT codec in front, which translates them to packets
     */
    public record Parts(SessionManager sessions, SessionIds sessionIds, IdleSweep idleSweep,
                        DeviceFrameDispatcher frames, ChannelOutboundHandler encoder, ExceptionHandler exceptions) {

        public Parts withEncoder(ChannelOutboundHandler other) {
            return new Parts(sessions, sessionIds, idleSweep, frames, other, exceptions);
        }
    }

    public DeviceStage(Parts parts, String transport) {
        this.sessions = parts.sessions();
        this.transport = transport;
        this.sessionIds = parts.sessionIds();
        this.idleSweep = parts.idleSweep();
        this.frames = parts.frames();
        this.encoder = parts.encoder();
        this.exceptions = parts.exceptions();
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
        frames.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        encoder.write(ctx, msg, promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exceptions.exceptionCaught(ctx, cause);
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
                session.resumeReading(ReadPause.Reason.UNWRITABLE);
                if (session.downstream() != null) {
                    session.downstream().writable();
                }
            } else {
                session.pauseReading(ReadPause.Reason.UNWRITABLE);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }
}
