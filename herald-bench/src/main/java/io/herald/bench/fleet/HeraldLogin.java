package io.herald.bench.fleet;

import io.herald.bench.http.HeraldApi;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Herald's real flow: {@code POST /api/v1/login} with the device's secret, then the gateway it names. */
public final class HeraldLogin implements GatewayLogin {
    private final HeraldApi api;
    private final boolean webSocket;

    /** @param webSocket connect to the gateway's WebSocket listener rather than its TCP one */
    public HeraldLogin(HeraldApi api, boolean webSocket) {
        this.api = api;
        this.webSocket = webSocket;
    }

    /** The secret every bench device registers with; derived from the id so any process can log any device in. */
    public static String secretOf(String clientId) {
        return "bench-secret-" + clientId;
    }

    private static InetSocketAddress resolved(InetSocketAddress address) {
        return new InetSocketAddress(address.getHostString(), address.getPort());
    }

    @Override
    public CompletableFuture<Credentials> login(String clientId) {
        return api.login(clientId, secretOf(clientId)).thenApply(login -> {
            InetSocketAddress gateway = webSocket ? login.webSocket() : login.gateway();
            if (gateway == null) {
                throw new IllegalStateException("the server offers no WebSocket listener (its --ws-port)");
            }
            // Resolved here, once per login: the gateway host is a literal loopback address in the bench.
            List<InetSocketAddress> fallbacks = (webSocket ? login.webSocketFallbacks() : login.fallbacks()).stream()
                    .map(HeraldLogin::resolved).toList();
            return Credentials.of(resolved(gateway), login.token(), fallbacks);
        });
    }
}
