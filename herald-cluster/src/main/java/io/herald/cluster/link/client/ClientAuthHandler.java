package io.herald.cluster.link.client;

import io.herald.cluster.link.ClusterSecret;
import io.herald.cluster.link.LinkAuthenticationException;
import io.herald.cluster.link.LinkException;
import io.herald.cluster.link.LinkUnavailableException;
import io.herald.cluster.link.wire.HandshakeFrame;
import io.herald.cluster.link.wire.LinkError;
import io.herald.cluster.link.wire.LinkErrorCode;
import io.herald.cluster.link.wire.LinkFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The API node's side of the handshake: checks that the CHALLENGE comes from the gateway expected at that address,
 * answers it with the HMAC of the nonce and this node's id, and completes {@code authenticated} on AUTH_OK, removing
 * itself. A refusal, another frame, a close or the auth timeout fail {@code authenticated} with a message that
 * names the gateway and, for a wrong secret, says so; the connection is closed.
 */
final class ClientAuthHandler extends SimpleChannelInboundHandler<LinkFrame> {
    /** The usual reason a gateway stays silent: it waits for a TLS ClientHello this plain link never sends. */
    private static final String NO_CHALLENGE_HINT = " (it sent no CHALLENGE: does its link speak TLS while this"
            + " node's does not?)";
    private final String gatewayId;
    private final String address;
    private final String localNodeId;
    private final ClusterSecret secret;
    private final Duration authTimeout;
    private final CompletableFuture<Void> authenticated;
    private ScheduledFuture<?> timeout;
    private boolean challenged;

    ClientAuthHandler(String gatewayId, String address, String localNodeId, ClusterSecret secret,
                      Duration authTimeout, CompletableFuture<Void> authenticated) {
        this.gatewayId = gatewayId;
        this.address = address;
        this.localNodeId = localNodeId;
        this.secret = secret;
        this.authTimeout = authTimeout;
        this.authenticated = authenticated;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> fail(ctx, new LinkUnavailableException(gatewayId, "gateway "
                        + gatewayId + " at " + address + " did not complete the handshake within "
                        + authTimeout.toMillis() + " ms" + (challenged ? "" : NO_CHALLENGE_HINT))),
                authTimeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkFrame frame) {
        if (authenticated.isDone()) {
            return;
        }
        if (frame instanceof HandshakeFrame.Challenge challenge && !challenged) {
            answer(ctx, challenge);
        } else if (frame == HandshakeFrame.AuthOk.INSTANCE && challenged) {
            timeout.cancel(false);
            ctx.pipeline().remove(this);
            authenticated.complete(null);
        } else if (frame instanceof LinkError error) {
            fail(ctx, refusal(error));
        } else {
            fail(ctx, new LinkUnavailableException(gatewayId, "gateway " + gatewayId + " at " + address + " sent "
                    + frame.type() + " during the handshake"));
        }
    }

    private void answer(ChannelHandlerContext ctx, HandshakeFrame.Challenge challenge) {
        if (!challenge.gatewayId().equals(gatewayId)) {
            fail(ctx, new LinkAuthenticationException(gatewayId, "the link at " + address + " belongs to gateway "
                    + challenge.gatewayId() + ", not to gateway " + gatewayId + " (stale address?)"));
            return;
        }
        challenged = true;
        ctx.writeAndFlush(new HandshakeFrame.Auth(localNodeId, secret.answer(challenge.nonce(), localNodeId)));
    }

    private LinkException refusal(LinkError error) {
        if (error.code() == LinkErrorCode.AUTH_FAILED) {
            return new LinkAuthenticationException(gatewayId, "gateway " + gatewayId + " at " + address
                    + " refused node " + localNodeId + ": the cluster secret does not match");
        }
        return new LinkUnavailableException(gatewayId, "gateway " + gatewayId + " at " + address
                + " refused the link: " + error.code() + " " + error.message());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new LinkUnavailableException(gatewayId, "gateway " + gatewayId + " at " + address
                + " closed the connection during the handshake" + (challenged ? "" : NO_CHALLENGE_HINT)));
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, LinkException failure) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (authenticated.completeExceptionally(failure)) {
            ctx.close();
        }
    }
}
