package io.herald.cluster.redis;

import java.util.Objects;

/**
 * Every Redis key Herald writes, under one configurable prefix ({@code herald:} by default). The layout, with the
 * default prefix:
 *
 * <pre>
 * herald:session:{clientId}          STRING  nodeId|connectionId|connectedAt no TTL (see RedisSessionRegistry)
 * herald:node-clients:{nodeId}       SET     {clientId, ...}                 no TTL; removed by removeNode
 * herald:takeover:{nodeId}           CHANNEL clientId|connectionId           pub/sub: "close this old connection"
 * herald:store-changed:{nodeId}      CHANNEL clientId                        pub/sub: "read its store again"
 * herald:revoked-client:{clientId}   STRING  "{mark} {expiresAtMillis}"      TTL = token TTL + clock margin
 * herald:revoked-token:{tokenId}     STRING  "0 {expiresAtMillis}"           TTL = until the token expires
 * herald:revocations                 CHANNEL "C|T {key} {mark} {expiresAt}"  pub/sub: every new revocation
 * </pre>
 *
 * The scripts derive some keys from stored values (a session's node), so the layout needs one
 * Redis primary (standalone or Sentinel-managed), not Redis Cluster.
 */
public final class RedisKeys {
    public static final String SESSION = "session:";
    public static final String NODE_CLIENTS = "node-clients:";
    public static final String TAKEOVER = "takeover:";
    public static final String STORE_CHANGED = "store-changed:";
    public static final String REVOKED = "revoked-";
    public static final String REVOKED_CLIENT = REVOKED + "client:";
    public static final String REVOKED_TOKEN = REVOKED + "token:";
    public static final String REVOCATIONS = "revocations";

    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public String prefix() {
        return prefix;
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

    /**
     * The pub/sub channel on which a node hears that a device's session there should read its store again: an
     * older session of the device, elsewhere, ended leaving messages in it.
     */
    public String storeChangedChannel(String nodeId) {
        return prefix + STORE_CHANGED + nodeId;
    }

    /** What the scripts put in front of a node id to get its client set key. */
    public String nodeClientsPrefix() {
        return prefix + NODE_CLIENTS;
    }

    /** The revocation entry of every token of a client id issued under a lower mark. */
    public String revokedClient(String clientId) {
        return prefix + REVOKED_CLIENT + clientId;
    }

    /** The revocation entry of one token. */
    public String revokedToken(String tokenId) {
        return prefix + REVOKED_TOKEN + tokenId;
    }

    /** A SCAN pattern matching every revocation entry. */
    public String revokedPattern() {
        return prefix + REVOKED + "*";
    }

    /** The pub/sub channel every new revocation is published on, for the gateways' copies of the list. */
    public String revocationChannel() {
        return prefix + REVOCATIONS;
    }
}
