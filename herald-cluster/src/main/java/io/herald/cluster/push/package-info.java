/**
 * Pushing and session queries from an API node in cluster mode: {@link io.herald.cluster.push.ClusterPushService}
 * routes pushes to the gateways holding the devices (Redis) over the internal links, and stores QoS 1 messages for
 * the devices that are offline; {@link io.herald.cluster.push.ClusterSessionDirectory} answers "who is online" and
 * kicks through the same links. See {@code docs/cluster-link.md}.
 */
package io.herald.cluster.push;
