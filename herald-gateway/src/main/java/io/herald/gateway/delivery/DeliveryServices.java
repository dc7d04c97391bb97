package io.herald.gateway.delivery;

import io.herald.core.event.Events;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.metrics.GatewayMetrics;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What every {@link DownstreamQueue} of a gateway uses and none owns: one instance for all of them, so that a queue
 * keeps one reference to it instead of six (24 bytes per connection, at tens of thousands of idle connections).
 *
 * @param storedAfterClose told the client id when a message reached a queue after its connection closed and was
 *                         stored: a newer session of the device, here or at another gateway, may already have read
 *                         the store
 */
public record DeliveryServices(DownstreamQueue.Limits limits, OfflineStorage offline, GatewayMetrics metrics,
                               Clock clock, Consumer<String> storedAfterClose, Disconnector disconnector,
                               Events events) {
}
