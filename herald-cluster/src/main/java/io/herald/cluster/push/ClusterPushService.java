package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.core.device.DeviceStore;
import io.herald.core.push.PushService;
import io.herald.core.push.PushStore;
import io.herald.core.push.StoreFirstPushService;
import io.herald.core.store.OfflineStore;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The push service of a cluster API node: the one {@link StoreFirstPushService} with the session registry in Redis
 * as its locator and the internal links as its way to the gateways. The API node stores QoS 1 messages itself
 * (its {@link OfflineStore}, one database for the cluster) before any gateway gets them.
 */
public final class ClusterPushService {

    private ClusterPushService() {
    }

    /**
     * @param membership the live gateways, e.g. {@code directory::membership}
     * @param blocking   runs the device store's lookups and the hand-overs once stores are durable; never a Netty
     *                   or Lettuce thread
     */
    public static PushService create(Supplier<GatewayMembership> membership, RedisSessionRegistry sessions,
                                     GatewayLinks links, DeviceStore devices, OfflineStore offlineStore,
                                     Executor blocking) {
        return new StoreFirstPushService<GatewayNode>(new RedisDeviceLocator(membership, sessions),
                new LinkGateways(membership, links), devices, PushStore.of(offlineStore), blocking);
    }
}
