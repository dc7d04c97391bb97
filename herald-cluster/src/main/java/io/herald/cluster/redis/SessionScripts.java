package io.herald.cluster.redis;

/**
 * The Lua scripts behind {@link RedisSessionRegistry}. Each keeps the two structures in step atomically: a client's
 * session key names its node, and that node's client set holds the client, and no other node's set does.
 */
final class SessionScripts {
    private SessionScripts() {
    }

    /*
     * Sets the location and returns the previous one (nil if none). Moves the client from the old node's set to the
     * new node's; the old set's key is built from the previous value, which is why it is not a declared key.
     * KEYS[1] session key, KEYS[2] new node's client set; ARGV[1] encoded location, ARGV[2] new node id,
     * ARGV[3] node set key prefix, ARGV[4] client id.
     */
    static final LuaScript REGISTER = new LuaScript("register-session", """
            local previous = redis.call('GET', KEYS[1])
            redis.call('SET', KEYS[1], ARGV[1])
            if previous then
              local previousNode = string.match(previous, '^([^|]*)|')
              if previousNode and previousNode ~= ARGV[2] then
                redis.call('SREM', ARGV[3] .. previousNode, ARGV[4])
              end
            end
            redis.call('SADD', KEYS[2], ARGV[4])
            return previous
            """);

    /*
     * Compare-and-delete: removes the session only while it still belongs to the given connection, so a closing
     * old connection cannot remove the session of the newer one that took over. Returns 1 if removed, else 0.
     * KEYS[1] session key, KEYS[2] the node's client set; ARGV[1] owner prefix 'nodeId|connectionId|',
     * ARGV[2] client id.
     */
    static final LuaScript UNREGISTER = new LuaScript("unregister-session", """
            local current = redis.call('GET', KEYS[1])
            if current and string.sub(current, 1, #ARGV[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('SREM', KEYS[2], ARGV[2])
              return 1
            end
            return 0
            """);

    /*
     * One bounded step of removing a departed node: pops up to ARGV[1] clients from its set and deletes those whose
     * session still names the node (a client that reconnected elsewhere keeps its new session). Bounded so that a
     * node with a million clients does not block Redis for seconds in one script. Returns {popped, deleted}.
     * KEYS[1] the node's client set; ARGV[1] batch size, ARGV[2] session key prefix, ARGV[3] node prefix 'nodeId|'.
     */
    static final LuaScript REMOVE_NODE_BATCH = new LuaScript("remove-node-sessions", """
            local clients = redis.call('SPOP', KEYS[1], tonumber(ARGV[1]))
            local deleted = 0
            for _, client in ipairs(clients) do
              local key = ARGV[2] .. client
              local current = redis.call('GET', key)
              if current and string.sub(current, 1, #ARGV[3]) == ARGV[3] then
                redis.call('DEL', key)
                deleted = deleted + 1
              end
            end
            return {#clients, deleted}
            """);
}
