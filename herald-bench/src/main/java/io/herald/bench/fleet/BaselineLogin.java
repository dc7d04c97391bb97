package io.herald.bench.fleet;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** The baseline has no login: the device connects straight to the bare server and sends its id as the token. */
public final class BaselineLogin implements GatewayLogin {
    private final InetSocketAddress server;

    public BaselineLogin(InetSocketAddress server) {
        this.server = server;
    }

    @Override
    public CompletableFuture<Credentials> login(String clientId) {
        return CompletableFuture.completedFuture(new Credentials(server, clientId));
    }
}
