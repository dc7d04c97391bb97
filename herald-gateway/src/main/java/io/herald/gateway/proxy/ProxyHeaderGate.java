package io.herald.gateway.proxy;

import io.herald.gateway.pipeline.HandlerNames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first stage of a connection from a trusted balancer ({@link ProxyProtocol}). It keeps the connection from the
 * stages behind it, which see it active only once its source is known (the connection limit then counts it under
 * the device's address, and the auth timer starts), until the first bytes tell whether a PROXY header comes. If so,
 * Netty's decoder reads it and {@link ProxiedAddress} takes the address; if not, the bytes are the device's own and
 * pass on unchanged. Either way the gate leaves the pipeline, handing on what it has read.
 */
final class ProxyHeaderGate extends ByteToMessageDecoder {
    /** v2's binary signature; v1 starts with "PROXY ". */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

    private final ProxyProtocol proxy;
    private ScheduledFuture<?> timeout;

    ProxyHeaderGate(ProxyProtocol proxy) {
        this.proxy = proxy;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Not passed on yet: see the class comment. A peer that says nothing is closed after the auth timeout.
        timeout = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                proxy.refused.increment();
                ctx.close();
            }
        }, proxy.headerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (startsLike(in, V2_SIGNATURE) || startsLike(in, V1_PREFIX)) {
            if (in.readableBytes() < V2_SIGNATURE.length && !startsWith(in, V1_PREFIX)) {
                return; // may still be a v2 signature: at most 12 bytes decide
            }
            ChannelPipeline pipeline = ctx.pipeline();
            pipeline.addAfter(ctx.name(), HandlerNames.PROXY_DECODER,
                    new HAProxyMessageDecoder(ProxyProtocol.MAX_TLV_BYTES));
            pipeline.addAfter(HandlerNames.PROXY_DECODER, HandlerNames.PROXY_ADDRESS, new ProxiedAddress(proxy, timeout));
        } else {
            if (timeout != null) {
                timeout.cancel(false);
            }
            proxy.absent.increment();
            ctx.fireChannelActive();
        }
        ctx.pipeline().remove(this); // what was read goes on to the next stage once decode returns
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.cancel(false);
        }
        super.channelInactive(ctx);
    }

    /** Whether the readable bytes so far agree with the start of {@code prefix}. */
    private static boolean startsLike(ByteBuf in, byte[] prefix) {
        int n = Math.min(in.readableBytes(), prefix.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(ByteBuf in, byte[] prefix) {
        return in.readableBytes() >= prefix.length && startsLike(in, prefix);
    }
}
