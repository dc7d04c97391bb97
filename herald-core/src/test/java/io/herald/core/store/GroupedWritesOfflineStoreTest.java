package io.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.message.PushMessage;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link GroupedWritesOfflineStore#store}: waits for the group the write joined, and fails as the group did. */
class GroupedWritesOfflineStoreTest {
    private static final PushMessage MESSAGE = new PushMessage(7, ContentType.TEXT, Qos.AT_LEAST_ONCE,
            "hi".getBytes(StandardCharsets.UTF_8), null, 0, Long.MAX_VALUE);

    /** Every write joins the one group the test completes or fails, as a writer thread would. */
    private static final class OneGroupStore implements GroupedWritesOfflineStore {
        final CompletableFuture<Void> group = new CompletableFuture<>();

        @Override
        public CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message) {
            return group.thenRun(() -> { }); // a dependent stage, as a store's would be: its failure comes wrapped
        }

        @Override
        public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
            return List.of();
        }

        @Override
        public boolean remove(String clientId, long messageId) {
            return false;
        }

        @Override
        public int countPending(String clientId, long nowMillis) {
            return 0;
        }

        @Override
        public List<String> holders(long messageId, int limit) {
            return List.of();
        }

        @Override
        public int purgeExpired(long nowMillis, ExpiredCopies expired) {
            return 0;
        }
    }

    @Test
    void storeReturnsOnlyOnceTheGroupIsCommitted() throws InterruptedException {
        OneGroupStore store = new OneGroupStore();
        Thread caller = new Thread(() -> store.store(List.of("a"), MESSAGE));
        caller.start();

        caller.join(200);
        assertThat(caller.isAlive()).as("still waiting for the commit").isTrue();
        store.group.complete(null);
        caller.join(10_000);
        assertThat(caller.isAlive()).isFalse();
    }

    @Test
    void storeThrowsTheGroupsFailureAsItWas() throws InterruptedException {
        OneGroupStore store = new OneGroupStore();
        IllegalStateException failure = new IllegalStateException("the database is closing");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                store.store(List.of("a"), MESSAGE);
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        caller.start();

        store.group.completeExceptionally(failure);
        caller.join(10_000);
        assertThat(thrown.get()).isSameAs(failure);
        assertThatThrownBy(() -> store.store(List.of("b"), MESSAGE)).isSameAs(failure);
    }
}
