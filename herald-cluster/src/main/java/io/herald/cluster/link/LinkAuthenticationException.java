package io.herald.cluster.link;

/**
 * The handshake failed: the gateway refused this node's answer (the cluster secrets differ), or the process at the
 * gateway's address is not the gateway expected there. Retrying does not help until the configuration is fixed.
 */
public final class LinkAuthenticationException extends LinkUnavailableException {
    public LinkAuthenticationException(String gatewayId, String message) {
        super(gatewayId, message);
    }
}
