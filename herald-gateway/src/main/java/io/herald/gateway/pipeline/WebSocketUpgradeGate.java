package io.herald.gateway.pipeline;

import io.herald.core.event.DisconnectReason;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.HttpRefusal;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lets only an RFC 6455 upgrade on one of the gateway's WebSocket paths ({@link WebSocketEndpoint}) reach Netty's
 * handshake, which it installs for that path (Netty's handshake alone would also speak the drafts before RFC 6455:
 * versions 7 and 8, and hixie-76 without a version). Any other path gets 404; an upgrade without
 * {@code Sec-WebSocket-Version} gets 400, one with another version 426 Upgrade Required naming version 13 (RFC 6455
 * section 4.4); each answer closes the connection. Leaves the pipeline once it let the upgrade through.
 */
@Sharable
final class WebSocketUpgradeGate extends ChannelInboundHandlerAdapter {
    static final String VERSION = "13";

    private final List<WebSocketEndpoint> endpoints;
    private final String paths;
    private final Disconnector disconnector;

    WebSocketUpgradeGate(List<WebSocketEndpoint> endpoints, Disconnector disconnector) {
        this.endpoints = List.copyOf(endpoints);
        this.paths = endpoints.stream().map(WebSocketEndpoint::path).collect(Collectors.joining(" or "));
        this.disconnector = disconnector;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (DeviceSession.of(ctx.channel()).isReadingPaused(ReadPause.Reason.CLOSING)) {
            ReferenceCountUtil.release(request); // already refused (hixie-76's key bytes parse as a second request)
            return;
        }
        String requestPath = new QueryStringDecoder(request.uri()).path();
        String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        WebSocketEndpoint endpoint = endpoints.stream().filter(e -> e.path().equals(requestPath)).findFirst()
                .orElse(null);
        if (endpoint == null) {
            refuse(ctx, request, HttpResponseStatus.NOT_FOUND, "no WebSocket endpoint here; connect to " + paths);
        } else if (version == null) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST,
                    "not a WebSocket upgrade of RFC 6455 (no Sec-WebSocket-Version)");
        } else if (!VERSION.equals(version.trim())) {
            refuse(ctx, request, HttpResponseStatus.UPGRADE_REQUIRED,
                    "WebSocket version " + version.trim() + " is not supported; use version " + VERSION);
        } else {
            endpoint.install(ctx.pipeline());
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(request);
        }
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String reason) {
        ReferenceCountUtil.release(request);
        var response = HttpRefusal.of(status, reason);
        if (status == HttpResponseStatus.UPGRADE_REQUIRED) {
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, VERSION);
        }
        disconnector.closeWith(ctx.channel(), response, "refused WebSocket upgrade: " + status.code() + " " + reason,
                DisconnectReason.PROTOCOL_ERROR);
    }
}
