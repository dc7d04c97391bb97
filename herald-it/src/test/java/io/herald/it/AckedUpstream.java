package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.client.SendResult;
import io.herald.core.message.UpstreamMessage;
import io.herald.it.TestDevices.Device;
import io.herald.protocol.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * QoS 1 messages test devices send up, and the ones the gateways acknowledged: what the archive must hold, each
 * (client id, message id) once with its payload, and nothing else.
 */
final class AckedUpstream {

    /** A message the SDK got an ACK OK for. */
    private record Acked(String clientId, long messageId) {
    }

    private final Map<Acked, String> acked = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    /** Messages acknowledged so far. */
    int count() {
        return count.get();
    }

    /** Distinct (client id, message id) acknowledged so far. */
    int distinct() {
        return acked.size();
    }

    /**
     * Sends {@code messages} from the device, {@code window} at a time (each window waits for its acks), pausing
     * {@code pause} between windows. Blocks: run one per device on a thread of its own.
     */
    void send(Device device, int messages, int window, Duration pause) {
        for (int next = 0; next < messages; next += window) {
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = next; i < Math.min(next + window, messages); i++) {
                inFlight.add(send(device, device.clientId() + " reading " + i));
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Sends one message from the device without waiting; completes once it is acknowledged and counted. */
    CompletableFuture<Void> send(Device device, String text) {
        return device.client().send(ContentType.TEXT, text.getBytes(StandardCharsets.UTF_8))
                .thenAccept((SendResult result) -> {
                    acked.put(new Acked(device.clientId(), result.messageId()), text);
                    count.incrementAndGet();
                });
    }

    /** What the archive holds of the acknowledged messages. */
    record ArchiveTally(int archived, int lost, int duplicates, int unexpected) {
    }

    /**
     * Compares the archive with the acknowledged messages: how many of them it holds, how many are missing, how
     * many extra copies it has, and how many rows were never acknowledged (e.g. sent but unacked when counted).
     */
    ArchiveTally tally(List<UpstreamMessage> rows) {
        Map<Acked, Integer> copies = copies(rows);
        int archived = (int) acked.keySet().stream().filter(copies::containsKey).count();
        int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
        int unexpected = (int) copies.keySet().stream().filter(key -> !acked.containsKey(key)).count();
        return new ArchiveTally(archived, acked.size() - archived, duplicates, unexpected);
    }

    /** The archive holds every acknowledged message once, with the payload sent, and no other. */
    void assertArchivedExactlyOnce(List<UpstreamMessage> rows) {
        Map<Acked, Integer> copies = copies(rows);
        assertThat(copies.values()).as("copies of each (client id, message id)").allMatch(n -> n == 1);
        assertThat(copies.keySet()).as("archived messages").isEqualTo(acked.keySet());
        for (UpstreamMessage row : rows) {
            assertThat(new String(row.payload(), StandardCharsets.UTF_8))
                    .isEqualTo(acked.get(new Acked(row.clientId(), row.messageId())));
        }
    }

    private static Map<Acked, Integer> copies(List<UpstreamMessage> rows) {
        Map<Acked, Integer> copies = new HashMap<>();
        for (UpstreamMessage row : rows) {
            copies.merge(new Acked(row.clientId(), row.messageId()), 1, Integer::sum);
        }
        return copies;
    }
}
