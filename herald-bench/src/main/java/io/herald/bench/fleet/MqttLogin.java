package io.herald.bench.fleet;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * MQTT devices log in with nothing but CONNECT: they connect straight to the MQTT listener (Herald's, or the
 * broker's) with their client id and, as password, the secret they were registered with ({@link HeraldLogin#secretOf};
 * the broker's password file holds the same), as devices with fixed MQTT credentials do (docs/mqtt.md, "Identity").
 */
public final class MqttLogin implements GatewayLogin {
    private final InetSocketAddress listener;

    public MqttLogin(InetSocketAddress listener) {
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Credentials> login(String clientId) {
        return CompletableFuture.completedFuture(new Credentials(listener, HeraldLogin.secretOf(clientId)));
    }
}
