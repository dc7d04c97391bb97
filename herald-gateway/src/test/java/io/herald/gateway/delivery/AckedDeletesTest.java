package io.herald.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deletes of acked messages through {@link OfflineStorage}: grouped across devices ({@link AckedDeletes}), yet
 * never seen undone by a later read of the store. Over the real in-memory store, which records the groups it is
 * asked to delete.
 */
class AckedDeletesTest {
    private static final long NOW = System.currentTimeMillis();

    private final GroupRecordingStore store = new GroupRecordingStore();
    private final OfflineStorage storage = new OfflineStorage(store,
            new GatewayMetrics(new SimpleMeterRegistry(), new ChannelRegistry(16)), Clock.systemUTC(), 4);

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void acksOfManyDevicesAreDeletedInGroups() {
        List<String> devices = IntStream.range(0, 300).mapToObj(i -> "dev-" + i).toList();
        store.store(devices, message(1));

        devices.forEach(device -> storage.remove(device, 1));
        storage.pending("dev-0", 10).join(); // writes whatever is still queued

        assertThat(devices).allSatisfy(device -> assertThat(store.countPending(device, NOW)).isZero());
        assertThat(store.groups.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        assertThat(store.groups).as("one delete per ACK would be 300 groups of 1").hasSizeLessThan(300);
    }

    @Test
    void aReadRightAfterAnAckNeverReturnsTheAckedMessage() {
        for (long id = 1; id <= 100; id += 2) {
            store.store(List.of("dev"), message(id));
            store.store(List.of("dev"), message(id + 1));

            storage.remove("dev", id);

            assertThat(storage.pending("dev", 10).join()).extracting(PushMessage::messageId)
                    .as("fetched right after the ACK of %d", id).doesNotContain(id).contains(id + 1);
            store.remove("dev", id + 1);
        }
    }

    @Test
    void aClosingSessionsHandOffCoversItsLastAcks() {
        store.store(List.of("dev"), message(7));

        storage.remove("dev", 7);
        storage.store("dev", List.of()).join(); // what a closing session waits for before it reports the store

        assertThat(store.countPending("dev", NOW)).isZero();
    }

    @Test
    void closingWritesTheQueuedDeletes() {
        store.store(List.of("a", "b"), message(3));

        storage.remove("a", 3);
        storage.remove("b", 3);
        storage.close();

        assertThat(store.countPending("a", NOW) + store.countPending("b", NOW)).isZero();
    }

    private static PushMessage message(long id) {
        return new PushMessage(id, ContentType.TEXT, Qos.AT_LEAST_ONCE, "m".getBytes(StandardCharsets.UTF_8), null,
                NOW, NOW + 600_000);
    }

    /** The in-memory store, recording the size of every group of deletes it is given. */
    private static final class GroupRecordingStore implements OfflineStore {
        private final InMemoryOfflineStore store = new InMemoryOfflineStore();
        final List<Integer> groups = new CopyOnWriteArrayList<>();

        @Override
        public void store(Collection<String> clientIds, PushMessage message) {
            store.store(clientIds, message);
        }

        @Override
        public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
            return new ArrayList<>(store.pending(clientId, nowMillis, limit));
        }

        @Override
        public boolean remove(String clientId, long messageId) {
            return store.remove(clientId, messageId);
        }

        @Override
        public void removeAll(Collection<StoredCopy> copies) {
            groups.add(copies.size());
            store.removeAll(copies);
        }

        @Override
        public int countPending(String clientId, long nowMillis) {
            return store.countPending(clientId, nowMillis);
        }

        @Override
        public int purgeExpired(long nowMillis) {
            return store.purgeExpired(nowMillis);
        }
    }
}
