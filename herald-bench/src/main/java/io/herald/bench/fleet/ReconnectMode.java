package io.herald.bench.fleet;

/** What a device whose connection dropped does, as the SDK would in the situation a scenario creates. */
public enum ReconnectMode {
    /** Stays offline: a drop is a failure of the run. */
    NEVER,
    /**
     * Reconnects with the token it has to the gateway it had, logging in over HTTP only when that gateway refuses the
     * token: a server restarted in place (the SDK's first attempts).
     */
    SAME_GATEWAY,
    /**
     * As {@link #SAME_GATEWAY}, and when its gateway cannot be reached at all, goes with the same token to the
     * next gateway of its login (the fallbacks, round the list), and logs in only when every other one failed in a
     * row, so the API names a live one: a cluster that lost a gateway (the SDK's {@code GatewayRotation}).
     */
    ANY_GATEWAY
}
