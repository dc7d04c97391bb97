/**
 * The internal link from API nodes to gateways: one persistent, authenticated TCP connection per gateway carrying
 * pushes, broadcasts, session queries, kicks and "re-read the store" nudges, many requests at a time. The gateway
 * runs a {@link io.herald.cluster.link.server.LinkServer} over its {@link io.herald.cluster.link.LinkEndpoint}; an
 * API node keeps {@link io.herald.cluster.link.client.GatewayLinks}. The frames are in
 * {@link io.herald.cluster.link.wire}; {@code docs/cluster-link.md} describes them byte by byte.
 */
package io.herald.cluster.link;
