package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable consistent-hash ring: every gateway owns {@code pointsPerWeight × weight} points (virtual nodes)
 * at {@code murmur3("<id>#<n>")}, and a key belongs to the first point at or after its hash, wrapping around.
 * A gateway's points depend on its id alone, so adding one only takes keys over to the new gateway and removing
 * one only hands its own keys to the others.
 */
final class HashRing {
    private final GatewayMembership builtFrom;
    /** Sorted; each entry is {@code (pointHash << 32) | nodeIndex}, so equal hashes order by node index. */
    private final long[] points;

    private HashRing(GatewayMembership builtFrom, long[] points) {
        this.builtFrom = builtFrom;
        this.points = points;
    }

    /** @param membership not empty */
    static HashRing build(GatewayMembership membership, int pointsPerWeight) {
        List<GatewayNode> nodes = membership.nodes();
        int total = 0;
        for (GatewayNode node : nodes) {
            total += node.weight() * pointsPerWeight;
        }
        long[] points = new long[total];
        int at = 0;
        for (int index = 0; index < nodes.size(); index++) {
            GatewayNode node = nodes.get(index);
            int count = node.weight() * pointsPerWeight;
            for (int n = 0; n < count; n++) {
                points[at++] = ((long) Murmur3.hash32(node.id() + "#" + n) << 32) | index;
            }
        }
        Arrays.sort(points);
        return new HashRing(membership, points);
    }

    /**
     * Whether this ring routes correctly for the given membership: same ids and weights. Node indexes then refer
     * to the same gateways, since memberships are sorted by id.
     */
    boolean serves(GatewayMembership membership) {
        return builtFrom.sameTopologyAs(membership);
    }

    /** The index, in the membership's node list, of the gateway owning the given key hash. */
    int nodeIndexFor(int keyHash) {
        int at = Arrays.binarySearch(points, (long) keyHash << 32);
        if (at < 0) {
            at = -at - 1;
        }
        if (at == points.length) {
            at = 0;
        }
        return (int) points[at];
    }

    int size() {
        return points.length;
    }
}
