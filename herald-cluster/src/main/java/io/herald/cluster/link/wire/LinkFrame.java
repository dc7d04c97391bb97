package io.herald.cluster.link.wire;

import io.netty.buffer.ByteBuf;

/**
 * One frame of the internal link, immutable. Each frame writes its own body; {@link LinkFrameType} knows how to read
 * each body back, so neither the encoder nor the decoder switches over types.
 */
public sealed interface LinkFrame permits HandshakeFrame, LinkRequest, LinkResponse, LinkError {

    LinkFrameType type();

    /** {@link LinkWire#NO_REQUEST} for handshake frames and connection-level errors. */
    long requestId();

    /** Appends the body (everything after the header) to {@code out}. */
    void writeBody(ByteBuf out);

    /** A first guess at the body size, so a large frame's buffer is not grown again and again. */
    default int estimatedBodyLength() {
        return 64;
    }
}
