/**
 * Pushing and session queries from an API node in cluster mode: {@link io.herald.cluster.push.ClusterPushService}
 * is the one push service of both modes ({@link io.herald.core.push.StoreFirstPushService}) over the cluster's two
 * ports, {@link io.herald.cluster.push.RedisDeviceLocator} (where is each device) and
 * {@link io.herald.cluster.push.LinkGateways} (how to reach its gateway); {@link
 * io.herald.cluster.push.ClusterSessionDirectory} answers "who is online" and kicks through the same links. See
 * {@code docs/cluster-link.md}.
 */
package io.herald.cluster.push;
