package io.herald.cluster.link.wire;

/** Why an {@link LinkError} was sent. All but {@link #REQUEST_FAILED} are followed by the sender closing. */
public enum LinkErrorCode {
    /** The frame did not follow the layout (bad length, version, type or body). */
    MALFORMED_FRAME(1),
    /** The peer sent a request before authenticating. */
    NOT_AUTHENTICATED(2),
    /** The answer to the challenge was wrong: the cluster secrets differ. */
    AUTH_FAILED(3),
    /** No answer to the challenge within the auth timeout. */
    AUTH_TIMEOUT(4),
    /** A frame that has no business there, e.g. a second AUTH or an answer sent to a gateway. */
    UNEXPECTED_FRAME(5),
    /** The gateway could not carry out this one request; the link stays up. */
    REQUEST_FAILED(6);

    private final int code;

    LinkErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The code with that number, or null. */
    public static LinkErrorCode ofCode(int code) {
        for (LinkErrorCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }
}
