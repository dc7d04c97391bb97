package io.herald.gateway.session;

import io.netty.channel.Channel;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client id → the channel holding that device's authenticated session, on this gateway. O(1) add, remove and
 * lookup; pre-sized so that a connect storm does not rehash repeatedly. Removal names the channel, so a
 * closing old connection never removes the newer one that took over.
 *
 * <p>Also remembers, per client id, the hand-off of a session that just closed (its undelivered QoS 1
 * messages on their way into the offline store), so that a reconnecting device replays only after they are
 * stored.
 */
public final class ChannelRegistry {
    private final ConcurrentHashMap<String, Channel> channels;
    private final Map<String, CompletableFuture<Void>> handOffs = new ConcurrentHashMap<>();

    public ChannelRegistry(int expectedDevices) {
        this.channels = new ConcurrentHashMap<>(Math.max(16, expectedDevices * 4 / 3 + 1));
    }

    /** Binds the client id to the channel; returns the channel it replaced (a session being taken over), or null. */
    public Channel register(String clientId, Channel channel) {
        return channels.put(clientId, channel);
    }

    /** Unbinds the client id only if it is still bound to this channel; true when it was. */
    public boolean unregister(String clientId, Channel channel) {
        return channels.remove(clientId, channel);
    }

    public Channel find(String clientId) {
        return channels.get(clientId);
    }

    public int size() {
        return channels.size();
    }

    /** A weakly consistent view, for broadcast and shutdown. */
    public Collection<Channel> channels() {
        return channels.values();
    }

    /**
     * A session closed: records its pending hand-off, then unbinds the client id if still bound to the channel.
     * In that order: a new session of the device (on another event loop) that finds no channel for the id must
     * find the hand-off, or it would read the store before the old session's messages are in it and leave them
     * there until the next reconnect. The hand-off is forgotten once complete.
     */
    public boolean unregister(String clientId, Channel channel, CompletableFuture<Void> handOff) {
        handOffs.put(clientId, handOff);
        handOff.whenComplete((ok, error) -> handOffs.remove(clientId, handOff));
        return unregister(clientId, channel);
    }

    /** Completes when any hand-off of an earlier session of the client id has finished. */
    public CompletableFuture<Void> awaitHandOff(String clientId) {
        CompletableFuture<Void> handOff = handOffs.get(clientId);
        return handOff == null ? CompletableFuture.completedFuture(null) : handOff.handle((ok, error) -> null);
    }
}
