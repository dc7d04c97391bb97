package io.herald.client;

/** The server answered an upstream message with ACK REJECTED: it will never accept it, so it is not resent. */
public final class MessageRejectedException extends HeraldException {
    private final long messageId;
    private final String reason;

    public MessageRejectedException(long messageId, String reason) {
        super("message " + Long.toUnsignedString(messageId) + " rejected by the server"
                + (reason.isEmpty() ? "" : ": " + reason));
        this.messageId = messageId;
        this.reason = reason;
    }

    public long messageId() {
        return messageId;
    }

    public String reason() {
        return reason;
    }
}
