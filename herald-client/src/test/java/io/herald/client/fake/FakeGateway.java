package io.herald.client.fake;

import io.herald.protocol.AckStatus;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.codec.FrameDecoder;
import io.herald.protocol.codec.FrameEncoder;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.PongFrame;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A scriptable stand-in for the Herald gateway on real sockets (127.0.0.1, ephemeral ports), speaking the
 * wire protocol through the production codec: TCP, and WebSocket at {@code /ws} on a second port. It answers
 * AUTH and PING, acknowledges upstream messages by a policy, and records everything it receives.
 */
public final class FakeGateway implements AutoCloseable {
    private static final String WS_PATH = "/ws";

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel tcpListener;
    private final Channel wsListener;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Every connection ever accepted, in order. */
    public final List<Connection> connections = new CopyOnWriteArrayList<>();
    public final ConcurrentLinkedQueue<String> authTokens = new ConcurrentLinkedQueue<>();
    public final ConcurrentLinkedQueue<MessageFrame> upstream = new ConcurrentLinkedQueue<>();
    public final ConcurrentLinkedQueue<AckFrame> acks = new ConcurrentLinkedQueue<>();
    public final AtomicInteger pings = new AtomicInteger();
    /** Protocol violations by the client; every test expects none. */
    public final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    private volatile long heartbeatMillis = 30_000;
    private volatile Predicate<String> tokenValidator = token -> !token.isEmpty();
    private volatile ErrorCode authFailure;
    private volatile Function<MessageFrame, AckStatus> ackPolicy = message -> AckStatus.OK;
    private volatile boolean answerPings = true;

    public FakeGateway() {
        tcpListener = bind(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new FrameDecoder(Wire.DEFAULT_MAX_BODY_LENGTH), FrameEncoder.INSTANCE,
                        new Connection());
            }
        });
        wsListener = bind(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                        new WebSocketServerProtocolHandler(WS_PATH, null, false, Wire.HARD_MAX_BODY_LENGTH),
                        BinaryToBytes.INSTANCE, BytesToBinary.INSTANCE,
                        new FrameDecoder(Wire.DEFAULT_MAX_BODY_LENGTH), FrameEncoder.INSTANCE, new Connection());
            }
        });
    }

    private Channel bind(ChannelInitializer<SocketChannel> initializer) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(initializer)
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public int tcpPort() {
        return ((InetSocketAddress) tcpListener.localAddress()).getPort();
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) wsListener.localAddress()).getPort() + WS_PATH;
    }

    /** The heartbeat interval announced in AUTH_OK. */
    public FakeGateway heartbeatMillis(long millis) {
        this.heartbeatMillis = millis;
        return this;
    }

    public FakeGateway tokenValidator(Predicate<String> validator) {
        this.tokenValidator = validator;
        return this;
    }

    /** Answer every AUTH with AUTH_FAIL(code); null restores normal authentication. */
    public FakeGateway failAuthWith(ErrorCode code) {
        this.authFailure = code;
        return this;
    }

    /** How to answer QoS 1 upstream messages; a null status sends no ACK. */
    public FakeGateway ackPolicy(Function<MessageFrame, AckStatus> policy) {
        this.ackPolicy = policy;
        return this;
    }

    /** When false, PINGs are counted but no PONG goes back (a half-dead gateway). */
    public FakeGateway answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    public int authCount() {
        return authTokens.size();
    }

    /** Connections that got AUTH_OK and are still open. */
    public List<Connection> liveSessions() {
        return connections.stream().filter(c -> c.authenticated && c.channel.isActive())
                .collect(Collectors.toList());
    }

    /** The most recently authenticated connection that is still open. */
    public Connection session() {
        // The client may see AUTH_OK a moment before this side's bookkeeping is visible: wait briefly.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        List<Connection> live = liveSessions();
        while (live.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            live = liveSessions();
        }
        if (live.isEmpty()) {
            throw new AssertionError("no authenticated connection");
        }
        return live.get(live.size() - 1);
    }

    public List<MessageFrame> upstreamWithId(long messageId) {
        return upstream.stream().filter(m -> m.messageId() == messageId).collect(Collectors.toList());
    }

    public List<AckFrame> acksFor(long messageId) {
        return acks.stream().filter(a -> a.messageId() == messageId).collect(Collectors.toList());
    }

    /** Closes every open connection, as a crashing or restarting gateway would. */
    public void dropConnections() {
        connections.forEach(c -> c.channel.close().syncUninterruptibly());
    }

    /** Stops listening and closes every connection, as a gateway going down would. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        tcpListener.close().syncUninterruptibly();
        wsListener.close().syncUninterruptibly();
        // Shutting the event loop group down was seen to leave accepted sockets open (Netty 4.2.18): close them.
        dropConnections();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The server side of one connection. */
    public final class Connection extends ChannelInboundHandlerAdapter {
        private volatile Channel channel;
        private volatile boolean authenticated;
        public volatile String sessionId;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            connections.add(this);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DecodeFailure failure) {
                problems.add("undecodable frame: " + failure.reason());
                ctx.close();
                return;
            }
            if (!(msg instanceof Frame frame)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (authenticated == (frame.type() == FrameType.AUTH)) {
                problems.add(frame.type() + (authenticated ? " after" : " before") + " authentication");
            }
            switch (frame.type()) {
                case AUTH -> onAuth(ctx, (AuthFrame) frame);
                case PING -> {
                    pings.incrementAndGet();
                    if (answerPings) {
                        ctx.writeAndFlush(PongFrame.INSTANCE);
                    }
                }
                case MESSAGE -> {
                    MessageFrame message = (MessageFrame) frame;
                    upstream.add(message);
                    AckStatus status = ackPolicy.apply(message);
                    if (status != null && message.qos().level() == 1) {
                        ctx.writeAndFlush(new AckFrame(message.messageId(), status,
                                status == AckStatus.OK ? "" : "policy says " + status));
                    }
                }
                case ACK -> acks.add((AckFrame) frame);
                default -> {
                    problems.add("client sent " + frame.type());
                    ctx.close();
                }
            }
        }

        private void onAuth(ChannelHandlerContext ctx, AuthFrame auth) {
            authTokens.add(auth.token());
            ErrorCode failure = authFailure;
            if (failure == null && !tokenValidator.test(auth.token())) {
                failure = ErrorCode.INVALID_TOKEN;
            }
            if (failure != null) {
                ctx.writeAndFlush(new AuthFailFrame(failure, "fake gateway says no"))
                        .addListener(f -> ctx.close());
                return;
            }
            sessionId = "session-" + sessions.incrementAndGet();
            authenticated = true;
            ctx.writeAndFlush(new AuthOkFrame(heartbeatMillis, clientIdOf(auth.token()), sessionId));
        }

        /** Sends frames (or pre-encoded bytes) and flushes. */
        public void send(Object... frames) {
            for (Object frame : frames) {
                channel.write(frame);
            }
            channel.flush();
        }

        /** Several frames in one write: over WebSocket they travel in one binary message. */
        public void sendPacked(Frame... frames) {
            ByteBuf packed = channel.alloc().buffer();
            for (Frame frame : frames) {
                FrameCodec.encode(frame, packed);
            }
            channel.writeAndFlush(packed);
        }

        public void close() {
            channel.close().syncUninterruptibly();
        }

        /** Stops reading from the socket, so that the client's writes back up. */
        public void pauseReading() {
            channel.config().setAutoRead(false);
        }

        public void resumeReading() {
            channel.config().setAutoRead(true);
            channel.read();
        }

        public boolean isOpen() {
            return channel.isActive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Tokens issued by {@link FakeApi} look like {@code token-<clientId>-<n>}. */
    private static String clientIdOf(String token) {
        if (token.startsWith("token-") && token.lastIndexOf('-') > 6) {
            return token.substring(6, token.lastIndexOf('-'));
        }
        return "unknown";
    }

    @Sharable
    private static final class BinaryToBytes extends MessageToMessageDecoder<BinaryWebSocketFrame> {
        static final BinaryToBytes INSTANCE = new BinaryToBytes();

        @Override
        protected void decode(ChannelHandlerContext ctx, BinaryWebSocketFrame frame, List<Object> out) {
            out.add(frame.content().retain());
        }
    }

    @Sharable
    private static final class BytesToBinary extends MessageToMessageEncoder<ByteBuf> {
        static final BytesToBinary INSTANCE = new BytesToBinary();

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
            out.add(new BinaryWebSocketFrame(bytes.retain()));
        }
    }
}
