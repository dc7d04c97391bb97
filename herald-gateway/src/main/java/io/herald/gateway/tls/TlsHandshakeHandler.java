package io.herald.gateway.tls;

import io.herald.gateway.session.DeviceSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.internal.tcnative.SSL;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind the {@code SslHandler}: every finished handshake is counted in {@code herald.tls.handshakes} by
 * whether it resumed a session ({@code resumed="true"}), was a full one ({@code "false"}), or cannot tell (the JDK
 * engine does not say: {@code "unknown"}). A failed handshake (plain text sent to a TLS port, a client that does not
 * trust the certificate, a bad client hello, no hello in time) is one WARN line without a stack trace, counted in
 * {@code herald.tls.handshake.failures} by reason, and the connection is closed. TLS errors never travel on to the
 * device pipeline's exception handler, which would log them as bugs and try to answer with a frame.
 */
@Sharable
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);
    /** Netty quotes a whole non-TLS record in hex: enough of it to recognise what was sent. */
    private static final int MAX_REASON_LENGTH = 160;
    private static final String METRIC = "herald.tls.handshake.failures";
    private static final String HANDSHAKES = "herald.tls.handshakes";

    private final Counter full;
    private final Counter resumed;
    private final Counter unknown;
    private final Counter rejected;
    private final Counter timedOut;
    private final Counter closedEarly;

    public TlsHandshakeHandler(MeterRegistry meters) {
        full = Counter.builder(HANDSHAKES).tag("resumed", "false")
                .description("TLS handshakes with devices that succeeded, by whether they resumed a session")
                .register(meters);
        resumed = Counter.builder(HANDSHAKES).tag("resumed", "true").register(meters);
        unknown = Counter.builder(HANDSHAKES).tag("resumed", "unknown").register(meters);
        rejected = Counter.builder(METRIC).tag("reason", "rejected")
                .description("TLS handshakes with devices that failed").register(meters);
        timedOut = Counter.builder(METRIC).tag("reason", "timeout").register(meters);
        closedEarly = Counter.builder(METRIC).tag("reason", "closed").register(meters);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                handshakeDone(ctx);
            } else {
                handshakeFailed(ctx, completion.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!isTls(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        // A failed handshake was reported by its completion event; a broken record after a good handshake is as
        // routine as a connection reset.
        log.debug("{} TLS error: {}", prefix(ctx), reason(cause));
        ctx.close();
    }

    private void handshakeDone(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && ssl.engine() instanceof ReferenceCountedOpenSslEngine openSsl) {
            (SSL.isSessionReused(openSsl.sslPointer()) ? resumed : full).increment();
        } else {
            unknown.increment();
        }
    }

    private void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            timedOut.increment();
            log.warn("{} TLS handshake timed out", prefix(ctx));
        } else if (cause instanceof ClosedChannelException) {
            // Port scanners and load balancer probes connect and leave: not worth a warning.
            closedEarly.increment();
            log.debug("{} closed before the TLS handshake finished", prefix(ctx));
        } else {
            rejected.increment();
            log.warn("{} TLS handshake failed: {}", prefix(ctx), reason(cause));
        }
        ctx.close();
    }

    private static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable cause) {
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH) + "...";
    }

    private static String prefix(ChannelHandlerContext ctx) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        return session != null ? session.logPrefix() : String.valueOf(ctx.channel().remoteAddress());
    }
}
