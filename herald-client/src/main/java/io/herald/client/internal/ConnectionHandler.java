package io.herald.client.internal;

import io.herald.client.AuthenticationFailedException;
import io.herald.client.ConnectionLostException;
import io.herald.client.HeraldException;
import io.herald.client.ServerErrorException;
import io.herald.client.Transport;
import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.herald.protocol.frame.PingFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One connection attempt, from socket registration to close: sends AUTH once the transport is ready, enforces
 * the connect deadline, keeps the heartbeat (PING when idle for writing, presumed dead when silent for 2.5
 * heartbeat intervals), turns protocol trouble into a close with a cause, and passes everything else to its
 * {@link Events} — the client that owns it. Exactly one {@link Events#closed} call ends every attempt, with
 * the first cause recorded. Lives on the client's event loop; one instance per connection.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "herald-connection";
    static final String HEARTBEAT_NAME = "herald-heartbeat";
    /**
     * The server answers every PING, so a read gap of this many heartbeat intervals means the connection is
     * dead (not merely quiet); the server closes after ~2 intervals of silence itself.
     */
    static final double READ_IDLE_FACTOR = 2.5;

    /** What the connection tells its owner; called on the event loop. */
    public interface Events {
        void authenticated(ConnectionHandler connection, AuthOkFrame authOk);

        void messageReceived(ConnectionHandler connection, MessageFrame message);

        void ackReceived(ConnectionHandler connection, AckFrame ack);

        void noticeReceived(ConnectionHandler connection, NoticeFrame notice);

        /** The channel can take writes again after having been full. */
        void writable(ConnectionHandler connection);

        /** The attempt or connection is over; {@code cause} is null only after {@link #close(Throwable) close(null)}. */
        void closed(ConnectionHandler connection, Throwable cause);
    }

    private final GatewayEndpoint endpoint;
    private final String token;
    private final Duration connectTimeout;
    private final Events events;
    private final ClientLogger log;

    private Channel channel;
    private ScheduledFuture<?> connectDeadline;
    private boolean authenticated;
    private long heartbeatMillis;
    private boolean flushPending;
    private boolean causeSet;
    private Throwable cause;
    private boolean closeRequested;
    private boolean reported;

    public ConnectionHandler(GatewayEndpoint endpoint, String token, Duration connectTimeout, Events events,
                             ClientLogger log) {
        this.endpoint = endpoint;
        this.token = token;
        this.connectTimeout = connectTimeout;
        this.events = events;
        this.log = log.forClass(ConnectionHandler.class);
    }

    public GatewayEndpoint endpoint() {
        return endpoint;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /** The interval from AUTH_OK (0 before it, or when the gateway wants no heartbeat). */
    public long heartbeatMillis() {
        return heartbeatMillis;
    }

    public boolean isWritable() {
        return channel != null && channel.isWritable();
    }

    /** Queues a frame; it goes out at the next {@link #flush()}, or when the current read burst completes. */
    public void write(Frame frame) {
        if (channel != null) {
            // A failed write surfaces as exceptionCaught, which closes the connection: resends follow on reconnect.
            channel.write(frame, channel.voidPromise());
            flushPending = true;
        }
    }

    public void flush() {
        if (channel != null && flushPending) {
            flushPending = false;
            channel.flush();
        }
    }

    /**
     * Ends the connection on the owner's behalf; {@link Events#closed} will report {@code reportedCause}
     * (unless a failure was recorded first).
     */
    public void close(Throwable reportedCause) {
        recordCause(reportedCause);
        closeRequested = true;
        if (channel != null) {
            channel.close();
        }
    }

    /** Ends the connection because of {@code failure} (also used by the connector when connecting fails). */
    public void fail(Throwable failure) {
        recordCause(failure);
        if (channel != null) {
            channel.close();
        } else {
            // Never registered, so no close future will report: report now.
            reportClosed();
        }
    }

    boolean isAttached() {
        return channel != null;
    }

    /** Called by the initializer once the channel is registered and this handler is in its pipeline. */
    void attach(Channel attached) {
        this.channel = attached;
        attached.closeFuture().addListener(future -> reportClosed());
        connectDeadline = attached.eventLoop().schedule(() -> fail(new ConnectionLostException(
                "no AUTH_OK from " + endpoint.describe() + " within " + connectTimeout.toMillis() + " ms")),
                connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (closeRequested) {
            attached.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Over WebSocket the AUTH waits for the handshake to complete.
        if (endpoint.transport() == Transport.TCP) {
            sendAuth();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            sendAuth();
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail(new ConnectionLostException("WebSocket handshake with " + endpoint.describe() + " timed out"));
        } else if (event instanceof IdleStateEvent idle) {
            onIdle(idle.state());
        } else if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            // Arrives before the SslHandler closes the channel, which would otherwise read "closed by the gateway".
            fail(new ConnectionLostException("TLS handshake with " + endpoint.describe() + " failed: "
                    + describe(tls.cause()), tls.cause()));
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    private void onIdle(IdleState state) {
        if (state == IdleState.WRITER_IDLE) {
            log.debug("sending PING after {} ms without writing", heartbeatMillis);
            write(PingFrame.INSTANCE);
            flush();
        } else if (state == IdleState.READER_IDLE) {
            fail(new ConnectionLostException("nothing received from " + endpoint.describe() + " for "
                    + readIdleMillis(heartbeatMillis) + " ms (heartbeat " + heartbeatMillis
                    + " ms): the connection is presumed dead"));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            onFrame(frame);
        } else if (msg instanceof DecodeFailure failure) {
            write(failure.toErrorFrame());
            flush();
            fail(new ConnectionLostException("undecodable data from " + endpoint.describe() + ": "
                    + failure.reason()));
        } else {
            log.debug("ignoring unexpected {} from {}", msg.getClass().getSimpleName(), endpoint.describe());
            ReferenceCountUtil.release(msg);
        }
    }

    private void onFrame(Frame frame) {
        switch (frame.type()) {
            case AUTH_OK -> onAuthOk((AuthOkFrame) frame);
            case AUTH_FAIL -> {
                AuthFailFrame fail = (AuthFailFrame) frame;
                fail(new AuthenticationFailedException(fail.code(), fail.reason()));
            }
            case PONG -> {
                // Arriving is all it has to do: the read resets the idle timer.
            }
            case MESSAGE -> {
                if (requireAuthenticated(frame)) {
                    events.messageReceived(this, (MessageFrame) frame);
                }
            }
            case ACK -> {
                if (requireAuthenticated(frame)) {
                    events.ackReceived(this, (AckFrame) frame);
                }
            }
            case NOTICE -> events.noticeReceived(this, (NoticeFrame) frame);
            case ERROR -> {
                ErrorFrame error = (ErrorFrame) frame;
                fail(new ServerErrorException(error.code(), error.reason()));
            }
            case AUTH, PING -> fail(new HeraldException("gateway " + endpoint.describe() + " sent " + frame.type()
                    + ", which only devices send"));
        }
    }

    private boolean requireAuthenticated(Frame frame) {
        if (!authenticated) {
            fail(new HeraldException("gateway " + endpoint.describe() + " sent " + frame.type() + " before AUTH_OK"));
        }
        return authenticated;
    }

    private void onAuthOk(AuthOkFrame authOk) {
        if (authenticated) {
            fail(new HeraldException("gateway " + endpoint.describe() + " sent a second AUTH_OK"));
            return;
        }
        authenticated = true;
        connectDeadline.cancel(false);
        heartbeatMillis = authOk.heartbeatMillis();
        if (heartbeatMillis > 0) {
            channel.pipeline().addBefore(NAME, HEARTBEAT_NAME, new IdleStateHandler(false,
                    readIdleMillis(heartbeatMillis), heartbeatMillis, 0, TimeUnit.MILLISECONDS));
        }
        events.authenticated(this, authOk);
    }

    static long readIdleMillis(long heartbeatMillis) {
        return Math.round(heartbeatMillis * READ_IDLE_FACTOR);
    }

    private void sendAuth() {
        write(new AuthFrame(token));
        flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // ACKs written while handling a burst of reads leave in one flush.
        flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && authenticated) {
            events.writable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable error) {
        fail(error instanceof HeraldException ? error : new ConnectionLostException("connection to "
                + endpoint.describe() + " failed: " + describe(error), error));
    }

    private void recordCause(Throwable failure) {
        if (!causeSet) {
            causeSet = true;
            cause = failure;
        }
    }

    private void reportClosed() {
        if (reported) {
            return;
        }
        reported = true;
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        Throwable reportedCause = causeSet ? cause : new ConnectionLostException("connection to "
                + endpoint.describe() + " was closed by the gateway");
        events.closed(this, reportedCause);
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isEmpty() ? error.getClass().getSimpleName() : message;
    }
}
