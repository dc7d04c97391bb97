package io.herald.core.push;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The first port of {@link StoreFirstPushService}: where devices are connected. Standalone: the one in-process
 * gateway's registry ({@link InProcessGateway}); cluster: the session registry in Redis, grouped by the live
 * gateway holding each session.
 *
 * @param <G> how the push service names a gateway to {@link Gateways}
 */
public interface DeviceLocator<G> {

    /**
     * For distinct client ids: the ids connected at each gateway, in the order given. Ids connected nowhere, or at a
     * gateway that cannot deliver (one that has left the cluster), are left out. May complete on an I/O thread.
     *
     * @throws IllegalArgumentException for an id the locator cannot look up (empty)
     */
    CompletableFuture<Map<G, List<String>>> locate(Collection<String> clientIds);

    /**
     * Whether {@link #locate} answers on the caller's thread (an in-process registry), so that the caller may go
     * on to queue the stores itself. A remote locator answers false even when its answer happens to be ready by
     * the time it is looked at: which thread runs the stores must not depend on a race.
     */
    default boolean answersOnCallersThread() {
        return false;
    }
}
