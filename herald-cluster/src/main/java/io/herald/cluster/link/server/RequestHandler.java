package io.herald.cluster.link.server;

import io.herald.cluster.link.LinkEndpoint;
import io.herald.cluster.link.wire.LinkError;
import io.herald.cluster.link.wire.LinkErrorCode;
import io.herald.cluster.link.wire.LinkFrame;
import io.herald.cluster.link.wire.LinkRequest;
import io.herald.cluster.link.wire.LinkResponse;
import io.herald.core.concurrent.Stages;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of an authenticated link with the endpoint and writes each answer when it is ready, so
 * requests overlap: a slow push does not hold up a FIND behind it. A request the endpoint fails is answered with a
 * REQUEST_FAILED error and the link stays up; a frame that is not a request closes it.
 */
@Sharable
final class RequestHandler extends SimpleChannelInboundHandler<LinkFrame> {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private final LinkEndpoint endpoint;

    RequestHandler(LinkEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkFrame frame) {
        if (!(frame instanceof LinkRequest request)) {
            if (frame instanceof LinkError error) {
                log.warn("link {}: the API node reports {} {}", ctx.channel().remoteAddress(), error.code(),
                        error.message());
                ctx.close();
                return;
            }
            ctx.writeAndFlush(LinkError.ofConnection(LinkErrorCode.UNEXPECTED_FRAME,
                    frame.type() + " is not a request")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Channel channel = ctx.channel();
        serve(request).whenComplete((response, failure) -> {
            LinkFrame answer = failure == null ? response : failed(request, failure);
            channel.writeAndFlush(answer).addListener(written -> {
                if (!written.isSuccess() && channel.isActive()) {
                    log.warn("link {}: could not answer {} request {}", channel.remoteAddress(), request.type(),
                            request.requestId(), written.cause());
                }
            });
        });
    }

    private CompletableFuture<LinkResponse> serve(LinkRequest request) {
        try {
            return request.servedBy(endpoint);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static LinkError failed(LinkRequest request, Throwable failure) {
        Throwable cause = Stages.cause(failure);
        log.warn("{} request {} failed", request.type(), request.requestId(), cause);
        return new LinkError(request.requestId(), LinkErrorCode.REQUEST_FAILED, cause.toString());
    }
}
