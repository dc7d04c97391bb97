package io.herald.bench.fleet;

import io.herald.bench.http.HeraldApi;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Herald's real flow: {@code POST /api/v1/login} with the device's secret, then the gateway it names. */
public final class HeraldLogin implements GatewayLogin {
    private final HeraldApi api;

    public HeraldLogin(HeraldApi api) {
        this.api = api;
    }

    /** The secret every bench device registers with; derived from the id so any process can log any device in. */
    public static String secretOf(String clientId) {
        return "bench-secret-" + clientId;
    }

    @Override
    public CompletableFuture<Credentials> login(String clientId) {
        return api.login(clientId, secretOf(clientId)).thenApply(login -> new Credentials(
                // Resolved here, once per login: the gateway host is a literal loopback address in the bench.
                new InetSocketAddress(login.gateway().getHostString(), login.gateway().getPort()), login.token()));
    }
}
