package io.herald.cluster.link.wire;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/** The framing and codec stages both ends put first in their pipelines, under these names. */
public final class LinkCodec {
    public static final String FRAMING = "link-framing";
    public static final String DECODER = "link-decoder";
    public static final String ENCODER = "link-encoder";
    public static final String EXCEPTIONS = "link-exceptions";

    private final int maxFrameLength;
    private final LinkFrameEncoder encoder;

    public LinkCodec(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
        this.encoder = new LinkFrameEncoder(maxFrameLength);
    }

    /** Adds framing, decoder and encoder at the end of {@code pipeline}. */
    public void addTo(ChannelPipeline pipeline) {
        // Per channel: the framer keeps the bytes of a frame still arriving. Fail fast: an over-long length is
        // refused as soon as it is read, not after buffering up to the limit.
        pipeline.addLast(FRAMING, new LengthFieldBasedFrameDecoder(maxFrameLength, 0, LinkWire.LENGTH_FIELD_LENGTH,
                0, LinkWire.LENGTH_FIELD_LENGTH, true));
        pipeline.addLast(DECODER, LinkFrameDecoder.INSTANCE);
        pipeline.addLast(ENCODER, encoder);
    }

    /** Adds the exception handler, which must come after every handler that can fail. */
    public static void addExceptionHandlerTo(ChannelPipeline pipeline) {
        pipeline.addLast(EXCEPTIONS, LinkExceptionHandler.INSTANCE);
    }
}
