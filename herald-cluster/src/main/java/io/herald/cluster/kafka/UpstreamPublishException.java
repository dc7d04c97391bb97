package io.herald.cluster.kafka;

/** Kafka did not acknowledge an upstream message: the device must not be acked, and will resend it. */
public final class UpstreamPublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UpstreamPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
