package io.herald.cluster.link;

/** The gateway received the request and answered it with an error, e.g. its push service failed. */
public final class LinkRemoteException extends LinkException {
    public LinkRemoteException(String gatewayId, String message) {
        super(gatewayId, message, null);
    }
}
