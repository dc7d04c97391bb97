package io.herald.client;

/**
 * {@code send()} refused a message because {@link HeraldClientOptions#maxUnackedMessages()} messages are
 * already waiting for their ACK: the caller should slow down (e.g. wait for earlier sends to complete).
 */
public final class TooManyUnackedMessagesException extends HeraldException {
    public TooManyUnackedMessagesException(int limit) {
        super(limit + " upstream messages are already waiting for an ACK (maxUnackedMessages); try again later");
    }
}
