package io.herald.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.codec.FrameDecoder;
import io.herald.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link FrameDecoder} in an {@link EmbeddedChannel}. Feeds it bytes in chunks, collects what it emits, and on
 * {@link #finish()} checks that the decoder released every buffer it was given and emitted only frames and at
 * most one failure, last. Any exception the decoder throws reaches the caller ({@link EmbeddedChannel} rethrows).
 */
public final class DecoderProbe implements AutoCloseable {
    private final EmbeddedChannel channel;
    private final boolean trackedInput;
    private final List<ByteBuf> written = new ArrayList<>();
    private final List<Object> outputs = new ArrayList<>();
    private boolean finished;

    /** A probe whose input buffers come from the leak-tracked default allocator. */
    public DecoderProbe(int maxBodyLength) {
        this(maxBodyLength, true);
    }

    /**
     * @param trackedInput whether input buffers come from the leak-tracked default allocator; untracked heap
     *                     buffers are much cheaper at the PARANOID level (which records a stack trace on every
     *                     access), and {@link #finish()} still checks that the decoder released them
     */
    public DecoderProbe(int maxBodyLength, boolean trackedInput) {
        this.channel = new EmbeddedChannel(new FrameDecoder(maxBodyLength));
        this.trackedInput = trackedInput;
    }

    /** Writes one chunk; returns what the decoder emitted because of it. */
    public List<Object> write(byte[] chunk) {
        ByteBuf buf = trackedInput
                ? Bytes.buffer(chunk)
                : Unpooled.buffer(Math.max(chunk.length, 1)).writeBytes(chunk); // never the shared EMPTY_BUFFER
        written.add(buf);
        channel.writeInbound(buf);
        return drain();
    }

    /** Writes {@code bytes} split at the given ascending offsets. */
    public void writeSplit(byte[] bytes, int[] cuts) {
        int from = 0;
        for (int cut : cuts) {
            write(Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        write(Arrays.copyOfRange(bytes, from, bytes.length));
    }

    private List<Object> drain() {
        List<Object> emitted = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            emitted.add(message);
        }
        outputs.addAll(emitted);
        return emitted;
    }

    /** Everything emitted so far. */
    public List<Object> outputs() {
        return List.copyOf(outputs);
    }

    /**
     * Closes the channel and returns everything emitted. Asserts that every input buffer was released, that each
     * output is a {@link Frame} or a {@link DecodeFailure}, and that a failure, if any, is the only one and last.
     */
    public List<Object> finish() {
        if (!finished) {
            finished = true;
            channel.finish();
            drain();
            for (ByteBuf buf : written) {
                assertThat(buf.refCnt()).as("input buffer released by the decoder").isZero();
            }
            for (int i = 0; i < outputs.size(); i++) {
                Object out = outputs.get(i);
                assertThat(out).isInstanceOfAny(Frame.class, DecodeFailure.class);
                if (out instanceof DecodeFailure) {
                    assertThat(i).as("a DecodeFailure is the last output: %s", outputs).isEqualTo(outputs.size() - 1);
                }
            }
        }
        return outputs();
    }

    @Override
    public void close() {
        finish();
    }
}
