package io.herald.cluster.link.server;

import io.herald.cluster.link.ClusterSecret;
import io.herald.cluster.link.LinkSettings;
import io.herald.cluster.link.wire.HandshakeFrame;
import io.herald.cluster.link.wire.LinkError;
import io.herald.cluster.link.wire.LinkErrorCode;
import io.herald.cluster.link.wire.LinkFrame;
import io.herald.cluster.link.wire.LinkWire;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate of a new link: sends a CHALLENGE with a fresh random nonce, accepts nothing but the AUTH that answers it
 * correctly, and closes the connection (after an error frame) on a wrong answer, on any other frame, or when no
 * answer comes within the auth timeout. On success it answers AUTH_OK and hands the pipeline to the request handler.
 */
final class ServerAuthHandler extends SimpleChannelInboundHandler<LinkFrame> {
    private static final Logger log = LoggerFactory.getLogger(ServerAuthHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String gatewayId;
    private final ClusterSecret secret;
    private final Duration authTimeout;
    private final RequestHandler requests;
    private byte[] nonce;
    private ScheduledFuture<?> timeout;
    private boolean refused;

    ServerAuthHandler(String gatewayId, LinkSettings settings, RequestHandler requests) {
        this.gatewayId = gatewayId;
        this.secret = settings.secret();
        this.authTimeout = settings.authTimeout();
        this.requests = requests;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        nonce = new byte[LinkWire.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        ctx.writeAndFlush(new HandshakeFrame.Challenge(gatewayId, nonce));
        timeout = ctx.executor().schedule(() -> refuse(ctx, LinkErrorCode.AUTH_TIMEOUT,
                "no AUTH within " + authTimeout.toMillis() + " ms"), authTimeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkFrame frame) {
        if (refused) {
            return; // the connection is closing; later frames of the same read are ignored
        }
        if (!(frame instanceof HandshakeFrame.Auth auth)) {
            refuse(ctx, LinkErrorCode.NOT_AUTHENTICATED, frame.type() + " before AUTH: authenticate first");
            return;
        }
        if (!secret.accepts(nonce, auth.nodeId(), auth.answer())) {
            refuse(ctx, LinkErrorCode.AUTH_FAILED, "the cluster secret does not match");
            return;
        }
        timeout.cancel(false);
        ctx.writeAndFlush(HandshakeFrame.AuthOk.INSTANCE);
        ctx.pipeline().replace(this, LinkServer.REQUESTS, requests);
        log.info("gateway {}: API node {} linked from {}", gatewayId, auth.nodeId(), ctx.channel().remoteAddress());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, LinkErrorCode code, String reason) {
        refused = true;
        timeout.cancel(false);
        log.warn("gateway {}: refusing link from {}: {} {}", gatewayId, ctx.channel().remoteAddress(), code, reason);
        ctx.writeAndFlush(LinkError.ofConnection(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }
}
