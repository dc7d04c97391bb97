package io.herald.cluster.link;

/** The gateway did not answer a request within the request timeout; it may still have carried it out. */
public final class LinkTimeoutException extends LinkException {
    public LinkTimeoutException(String gatewayId, String message) {
        super(gatewayId, message, null);
    }
}
