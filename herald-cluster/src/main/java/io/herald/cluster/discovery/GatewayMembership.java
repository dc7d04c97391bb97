package io.herald.cluster.discovery;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the live gateways, sorted by id so that every API node sees the same order for the
 * same set (routing strategies index into it). Ids are unique.
 */
public final class GatewayMembership {
    public static final GatewayMembership EMPTY = new GatewayMembership(List.of());

    private final List<GatewayNode> nodes;
    private final Map<String, GatewayNode> byId;
    /** {@link #accepting()}, computed on first use; a race computes equal values. */
    private volatile GatewayMembership accepting;

    private GatewayMembership(List<GatewayNode> sortedNodes) {
        this.nodes = sortedNodes;
        Map<String, GatewayNode> index = new HashMap<>();
        for (GatewayNode node : sortedNodes) {
            if (index.put(node.id(), node) != null) {
                throw new IllegalArgumentException("gateway id " + node.id() + " appears twice");
            }
        }
        this.byId = Map.copyOf(index);
    }

    /** @throws IllegalArgumentException when two nodes share an id */
    public static GatewayMembership of(Collection<GatewayNode> nodes) {
        if (nodes.isEmpty()) {
            return EMPTY;
        }
        return new GatewayMembership(nodes.stream().sorted(Comparator.comparing(GatewayNode::id)).toList());
    }

    /** The live gateways, sorted by id; immutable. */
    public List<GatewayNode> nodes() {
        return nodes;
    }

    public Optional<GatewayNode> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The gateways that take new devices: all but those whose last published connection count reached their
     * advertised capacity ({@link GatewayNode#full()}). When every gateway is full, this is empty: a login then has
     * nowhere to go rather than being sent to a gateway that refuses it.
     */
    public GatewayMembership accepting() {
        GatewayMembership result = accepting;
        if (result == null) {
            List<GatewayNode> open = nodes.stream().filter(node -> !node.full()).toList();
            result = open.size() == nodes.size() ? this : open.isEmpty() ? EMPTY : new GatewayMembership(open);
            accepting = result;
        }
        return result;
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    public int size() {
        return nodes.size();
    }

    /**
     * Whether both have the same gateway ids with the same weights: what a routing structure built from one can
     * serve the other with (a changed connection count or address does not invalidate it).
     */
    public boolean sameTopologyAs(GatewayMembership other) {
        if (other == this) {
            return true;
        }
        if (other.nodes.size() != nodes.size()) {
            return false;
        }
        for (int i = 0; i < nodes.size(); i++) {
            GatewayNode mine = nodes.get(i);
            GatewayNode theirs = other.nodes.get(i);
            if (mine.weight() != theirs.weight() || !mine.id().equals(theirs.id())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatewayMembership other && nodes.equals(other.nodes);
    }

    @Override
    public int hashCode() {
        return nodes.hashCode();
    }

    @Override
    public String toString() {
        return nodes.stream().map(GatewayNode::id).toList().toString();
    }
}
