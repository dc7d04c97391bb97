package io.herald.bench.jmh;

import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.MessageFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broadcast write loop: one pre-encoded frame, a retained duplicate written and flushed to each of N channels
 * (as BroadcastWriter does), against encoding the frame per channel. The channels' outbound end releases what it
 * gets, standing in for the socket, so the figure is the pipeline cost per delivery.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanOutBenchmark {
    @Param({"1000"})
    int channels;

    private EmbeddedChannel[] pipelines;
    private MessageFrame frame;

    /** The socket's stand-in: takes every write and frees it. */
    private static final class Sink extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }

    @Setup
    public void setUp() {
        pipelines = new EmbeddedChannel[channels];
        for (int i = 0; i < channels; i++) {
            pipelines[i] = new EmbeddedChannel(new Sink());
        }
        frame = new MessageFrame(1L, ContentType.TEXT, Qos.AT_MOST_ONCE, false, "0123456789abcdef0123456789abcdef",
                System.currentTimeMillis(), new byte[64]);
    }

    @TearDown
    public void tearDown() {
        for (EmbeddedChannel channel : pipelines) {
            channel.finishAndReleaseAll();
        }
    }

    @Benchmark
    public int sharedDuplicate() {
        ByteBuf encoded = FrameCodec.encode(PooledByteBufAllocator.DEFAULT, frame);
        try {
            for (EmbeddedChannel channel : pipelines) {
                channel.writeAndFlush(encoded.retainedDuplicate(), channel.voidPromise());
            }
        } finally {
            encoded.release();
        }
        return channels;
    }

    @Benchmark
    public int encodePerChannel() {
        for (EmbeddedChannel channel : pipelines) {
            channel.writeAndFlush(FrameCodec.encode(PooledByteBufAllocator.DEFAULT, frame), channel.voidPromise());
        }
        return channels;
    }
}
