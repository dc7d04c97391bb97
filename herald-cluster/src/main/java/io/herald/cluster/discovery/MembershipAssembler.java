package io.herald.cluster.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the cached znodes below the base path into a {@link GatewayMembership}. Rebuilding from the whole cache
 * on every event (rather than patching a map per event) keeps the view equal to the cache even when the cache
 * swaps a node's data without an event (a node deleted and re-created with the same version while this client
 * was disconnected). Decoded nodes are remembered by their znode identity and version, so only changed nodes
 * are parsed again and a malformed node is reported once, not on every event.
 */
final class MembershipAssembler {
    private static final Logger log = LoggerFactory.getLogger(MembershipAssembler.class);

    private final String basePath;
    private Map<String, Decoded> decoded = new HashMap<>();

    /** One znode version's decoding; node is null when the data was malformed. */
    private record Decoded(long czxid, long mzxid, GatewayNode node) {
    }

    MembershipAssembler(String basePath) {
        this.basePath = basePath;
    }

    synchronized GatewayMembership assemble(Stream<ChildData> cached) {
        Map<String, Decoded> next = new HashMap<>();
        List<GatewayNode> live = new ArrayList<>();
        cached.filter(this::isGatewayNode).forEach(data -> {
            Decoded entry = decoded.get(data.getPath());
            if (entry == null || entry.czxid() != data.getStat().getCzxid()
                    || entry.mzxid() != data.getStat().getMzxid()) {
                entry = decode(data);
            }
            next.put(data.getPath(), entry);
            if (entry.node() != null) {
                live.add(entry.node());
            }
        });
        decoded = next;
        return GatewayMembership.of(live);
    }

    private boolean isGatewayNode(ChildData data) {
        return data.getStat() != null && basePath.equals(ZKPaths.getPathAndNode(data.getPath()).getPath());
    }

    private Decoded decode(ChildData data) {
        GatewayNode node = null;
        String name = ZKPaths.getNodeFromPath(data.getPath());
        try {
            GatewayNode candidate = GatewayNodeCodec.decode(data.getData());
            if (candidate.id().equals(name)) {
                node = candidate;
            } else {
                log.warn("Ignoring gateway node {}: its data names gateway {}", data.getPath(), candidate.id());
            }
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring gateway node {}: {}", data.getPath(), e.getMessage());
        }
        return new Decoded(data.getStat().getCzxid(), data.getStat().getMzxid(), node);
    }
}
