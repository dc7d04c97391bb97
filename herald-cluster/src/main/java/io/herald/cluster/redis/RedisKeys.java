package io.herald.cluster.redis;

import java.util.Objects;

/**
 * Every Redis key Herald writes, under one configurable prefix ({@code herald:} by default). The layout, with the
 * default prefix:
 *
 * <pre>
 * herald:token:{token}               STRING  clientId                        TTL = the token's TTL
 * herald:client-tokens:{clientId}    SET     {token, ...}                    TTL = the longest token TTL issued
 * herald:session:{clientId}          STRING  nodeId|connectionId|connectedAt no TTL (see RedisSessionRegistry)
 * herald:node-clients:{nodeId}       SET     {clientId, ...}                 no TTL; removed by removeNode
 * herald:takeover:{nodeId}           CHANNEL clientId|connectionId           pub/sub: "close this old connection"
 * </pre>
 *
 * The scripts derive some keys from stored values (a token set's members, a session's node), so the layout needs one
 * Redis primary (standalone or Sentinel-managed), not Redis Cluster.
 */
public final class RedisKeys {
    public static final String TOKEN = "token:";
    public static final String CLIENT_TOKENS = "client-tokens:";
    public static final String SESSION = "session:";
    public static final String NODE_CLIENTS = "node-clients:";
    public static final String TAKEOVER = "takeover:";

    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public String prefix() {
        return prefix;
    }

    public String token(String token) {
        return prefix + TOKEN + token;
    }

    /** What the scripts put in front of a token to get its key. */
    public String tokenPrefix() {
        return prefix + TOKEN;
    }

    public String clientTokens(String clientId) {
        return prefix + CLIENT_TOKENS + clientId;
    }

    public String session(String clientId) {
        return prefix + SESSION + clientId;
    }

    /** What the scripts put in front of a client id to get its session key. */
    public String sessionPrefix() {
        return prefix + SESSION;
    }

    public String nodeClients(String nodeId) {
        return prefix + NODE_CLIENTS + nodeId;
    }

    /** The pub/sub channel on which a node hears that another node took one of its sessions over. */
    public String takeoverChannel(String nodeId) {
        return prefix + TAKEOVER + nodeId;
    }

    /** What the scripts put in front of a node id to get its client set key. */
    public String nodeClientsPrefix() {
        return prefix + NODE_CLIENTS;
    }
}
