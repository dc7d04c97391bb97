package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamArchive;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A real archive whose inserts wait until the test opens the gate, to look at the archiver while it is behind. */
final class GatedArchive implements UpstreamArchive {
    private static final long MAX_WAIT_SECONDS = 30;

    private final UpstreamArchive stored;
    private final CountDownLatch gate = new CountDownLatch(1);

    GatedArchive(UpstreamArchive stored) {
        this.stored = stored;
    }

    void open() {
        gate.countDown();
    }

    @Override
    public int append(List<UpstreamMessage> messages) {
        try {
            if (!gate.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the gate", e);
        }
        return stored.append(messages);
    }

    @Override
    public List<UpstreamMessage> latest(String clientId, long generation, int limit) {
        return stored.latest(clientId, generation, limit);
    }
}
