package io.herald.cluster.link.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Sits right after the {@link io.netty.handler.ssl.SslHandler} and holds the connection back from the link's
 * handlers until TLS is up: they get {@code channelActive} only after a successful handshake, so the gateway's
 * CHALLENGE and both ends' auth timers start inside TLS. A TLS failure is reported once, with its cause, to the
 * callback (which logs it or fails the connection attempt) and closes the connection; the TLS errors are not passed
 * on, so the link's exception handler does not report them a second time as bad frames. That includes failures
 * after the handshake: with TLS 1.3 a client finishes its handshake before the server has checked the client's
 * certificate, and learns of a refusal only from the alert that follows.
 */
final class HandshakeGate extends ChannelInboundHandlerAdapter {
    static final String TLS = "link-tls";
    static final String NAME = "link-tls-gate";

    private final Consumer<Throwable> failed;
    private boolean active;
    private boolean handshaken;
    private boolean reported;

    HandshakeGate(Consumer<Throwable> failed) {
        this.failed = failed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (handshaken) {
            ctx.fireChannelActive();
        } else {
            active = true; // passed on once the handshake succeeded
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof SslHandshakeCompletionEvent completion)) {
            super.userEventTriggered(ctx, event);
        } else if (completion.isSuccess()) {
            handshaken = true;
            if (active) {
                ctx.fireChannelActive();
            }
        } else {
            report(ctx, completion.cause());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!handshaken) {
            ctx.close(); // the handshake's own failure, reported through its completion event
        } else if (tlsFailure(cause) != null) {
            report(ctx, tlsFailure(cause));
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private void report(ChannelHandlerContext ctx, Throwable cause) {
        if (!reported) {
            reported = true;
            failed.accept(cause);
        }
        ctx.close();
    }

    /** The SSLException behind a failure (the decoder wraps what the TLS engine throws), or null. */
    private static Throwable tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return t;
            }
        }
        return null;
    }

    /** Words for a failed handshake, with what to check for the usual causes. */
    static String describe(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return "the peer does not speak TLS (TLS must be on at both ends of the link)";
        }
        String message = String.valueOf(cause.getMessage());
        if (message.contains("bad_certificate") || message.contains("certificate_required")) {
            return message + " (the gateway asks for a client certificate it trusts: mutual TLS)";
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return "no TLS handshake within the auth timeout (is TLS on at the other end of the link?)";
        }
        if (cause instanceof ClosedChannelException) {
            // What a plain peer causes when it gives up first: both ends wait for the other for the auth timeout.
            return "no TLS handshake: the other end closed the connection before it finished"
                    + " (is TLS on at the other end of the link?)";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? String.valueOf(cause.getMessage())
                : cause.getMessage() + " (" + root.getMessage() + ")";
    }
}
