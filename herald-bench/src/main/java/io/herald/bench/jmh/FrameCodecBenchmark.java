package io.herald.bench.jmh;

import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.codec.ProtocolException;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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

/** Encoding and decoding one MESSAGE frame (with a trace id, as the push API sends them). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    @Param({"64", "1024"})
    int payloadBytes;

    private MessageFrame frame;
    private ByteBuf encoded;

    @Setup
    public void setUp() {
        frame = new MessageFrame(123_456_789L, ContentType.TEXT, Qos.AT_LEAST_ONCE, false,
                "0123456789abcdef0123456789abcdef", System.currentTimeMillis(), new byte[payloadBytes]);
        encoded = FrameCodec.encode(PooledByteBufAllocator.DEFAULT, frame);
    }

    @TearDown
    public void tearDown() {
        encoded.release();
    }

    @Benchmark
    public int encode() {
        ByteBuf out = FrameCodec.encode(PooledByteBufAllocator.DEFAULT, frame);
        int length = out.readableBytes();
        out.release();
        return length;
    }

    @Benchmark
    public Frame decode() throws ProtocolException {
        int type = encoded.getUnsignedByte(Wire.TYPE_OFFSET);
        int flags = encoded.getUnsignedByte(Wire.FLAGS_OFFSET);
        int length = encoded.getInt(Wire.LENGTH_OFFSET);
        return FrameCodec.decodeBody(type, flags, encoded.slice(Wire.HEADER_LENGTH, length));
    }
}
