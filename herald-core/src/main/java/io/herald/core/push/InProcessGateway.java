package io.herald.core.push;

import io.herald.core.message.PushMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Both ports of {@link StoreFirstPushService} for a node that is its own only gateway (standalone): a device is
 * located by asking the gateway whether it holds it, and reached by a method call. Every future is completed when
 * returned.
 */
public final class InProcessGateway implements DeviceLocator<GatewayDelivery>, Gateways<GatewayDelivery> {
    private final GatewayDelivery gateway;

    public InProcessGateway(GatewayDelivery gateway) {
        this.gateway = gateway;
    }

    @Override
    public boolean answersOnCallersThread() {
        return true;
    }

    @Override
    public CompletableFuture<Map<GatewayDelivery, List<String>>> locate(Collection<String> clientIds) {
        List<String> connected = new ArrayList<>();
        for (String clientId : clientIds) {
            if (gateway.holds(clientId)) {
                connected.add(clientId);
            }
        }
        return CompletableFuture.completedFuture(connected.isEmpty() ? Map.of() : Map.of(gateway, connected));
    }

    @Override
    public CompletableFuture<List<HandedOver>> handOver(GatewayDelivery target, List<DevicePush> pushes) {
        return CompletableFuture.completedFuture(target.handOver(pushes));
    }

    @Override
    public CompletableFuture<Void> storeChanged(GatewayDelivery target, Collection<String> clientIds) {
        target.storeChanged(clientIds);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Collection<GatewayDelivery> all() {
        return List.of(gateway);
    }

    @Override
    public CompletableFuture<Integer> broadcast(GatewayDelivery target, PushMessage message) {
        return CompletableFuture.completedFuture(target.broadcast(message));
    }
}
