package io.herald.cluster.link.wire;

import io.netty.handler.codec.CorruptedFrameException;

/** A frame that does not follow {@link LinkWire}: the receiver answers with an error frame and closes. */
public final class MalformedLinkFrameException extends CorruptedFrameException {
    public MalformedLinkFrameException(String message) {
        super(message);
    }
}
