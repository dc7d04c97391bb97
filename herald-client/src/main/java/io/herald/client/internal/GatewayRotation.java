package io.herald.client.internal;

import io.herald.client.TlsMode;
import io.herald.client.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateways one login allows: the assigned one and the API's fallbacks, in the API's order. When the current
 * gateway cannot be reached the client moves on to the next with the token it has, and asks the API (logs in) only
 * once every other one has failed in a row: a cluster gateway that is killed or drained then sends its devices to
 * the others at the rate those accept connections, not at the rate the API logs devices in. Event-loop confined.
 */
public final class GatewayRotation {
    private final List<GatewayEndpoint> endpoints;
    private int current;
    private int triedInARow;

    private GatewayRotation(List<GatewayEndpoint> endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * @param assigned  the gateway the login assigned, where the client goes first
     * @param fallbacks the login's other gateways, best first; those the transport cannot use are left out, and so
     *                  is a repeat of one already listed
     */
    public static GatewayRotation of(GatewayEndpoint assigned, List<GatewayInfo> fallbacks, Transport transport,
                                     TlsMode tls) {
        List<GatewayEndpoint> endpoints = new ArrayList<>();
        endpoints.add(assigned);
        for (GatewayInfo fallback : fallbacks) {
            try {
                GatewayEndpoint endpoint = GatewayEndpoint.of(fallback, transport, tls);
                if (!endpoints.contains(endpoint)) {
                    endpoints.add(endpoint);
                }
            } catch (NoUsableGatewayException e) {
                // e.g. no WebSocket listener there: not a place this client can go
            }
        }
        return new GatewayRotation(List.copyOf(endpoints));
    }

    /**
     * The next gateway after the current one, which becomes current; null when every other one was tried since the
     * last connection (then the caller backs off and, in time, logs in).
     */
    public GatewayEndpoint next() {
        if (triedInARow >= endpoints.size() - 1) {
            return null;
        }
        triedInARow++;
        current = (current + 1) % endpoints.size();
        return endpoints.get(current);
    }

    /** The current gateway took the client: a later failure starts a new round from it. */
    public void connected() {
        triedInARow = 0;
    }

    /** How many gateways the login allows, the assigned one included. */
    public int size() {
        return endpoints.size();
    }
}
