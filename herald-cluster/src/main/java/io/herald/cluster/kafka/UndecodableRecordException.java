package io.herald.cluster.kafka;

/** A record on the upstream topic that is not an upstream message Herald can read. */
public final class UndecodableRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UndecodableRecordException(String message) {
        super(message);
    }
}
