package io.herald.bench.fleet;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** How a simulated device obtains where to connect and what to send in AUTH: Herald's HTTP login, or nothing (baseline). */
public interface GatewayLogin {

    /**
     * Where a device connects with which token, and the other gateways its login allows: as the SDK's
     * {@code GatewayRotation}, a device whose gateway cannot be reached moves on to the next one of its login
     * (round the list) with the same token, and logs in only once every other one failed in a row since it last
     * connected.
     *
     * @param gateways the login's assigned gateway and then its fallbacks, best first (one element: none)
     * @param position where {@code gateway} is in {@code gateways}
     */
    record Credentials(InetSocketAddress gateway, String token, List<InetSocketAddress> gateways, int position,
                       int triedInARow) {
        public Credentials(InetSocketAddress gateway, String token) {
            this(gateway, token, List.of(gateway), 0, 0);
        }

        /** A fresh login's: the assigned gateway first, then the fallbacks. */
        public static Credentials of(InetSocketAddress gateway, String token, List<InetSocketAddress> fallbacks) {
            List<InetSocketAddress> all = new ArrayList<>(fallbacks.size() + 1);
            all.add(gateway);
            all.addAll(fallbacks);
            return new Credentials(gateway, token, List.copyOf(all), 0, 0);
        }

        /** The same token at the next gateway of the login; null when every other one was tried in a row. */
        public Credentials nextFallback() {
            if (triedInARow >= gateways.size() - 1) {
                return null;
            }
            int next = (position + 1) % gateways.size();
            return new Credentials(gateways.get(next), token, gateways, next, triedInARow + 1);
        }

        /** Connected: a later failure starts a new round from this gateway. */
        public Credentials connected() {
            return triedInARow == 0 ? this : new Credentials(gateway, token, gateways, position, 0);
        }
    }

    CompletableFuture<Credentials> login(String clientId);
}
