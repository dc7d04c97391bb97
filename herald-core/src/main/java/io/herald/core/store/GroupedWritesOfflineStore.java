package io.herald.core.store;

import io.herald.core.concurrent.Stages;
import io.herald.core.message.PushMessage;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * An offline store that makes writes durable in groups, after the call that queued them (a writer thread committing
 * or syncing what many callers queued): {@link #storeDurably} is its way to store, and {@link #store} waits for it.
 * Redeclaring {@link #storeDurably} abstract keeps an implementation from inheriting both defaults, each calling
 * the other.
 */
public interface GroupedWritesOfflineStore extends OfflineStore {

    @Override
    CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message);

    /** {@link #storeDurably}, waited for; its failure is thrown as it was (unwrapped) when it is unchecked. */
    @Override
    default void store(Collection<String> clientIds, PushMessage message) {
        Stages.await(storeDurably(clientIds, message));
    }
}
