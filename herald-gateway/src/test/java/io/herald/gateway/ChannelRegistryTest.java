package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.gateway.session.ChannelRegistry;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelRegistryTest {

    @Test
    void staleChannelNeverRemovesTheNewerSession() {
        ChannelRegistry registry = new ChannelRegistry(16);
        Channel old = new EmbeddedChannel();
        Channel newer = new EmbeddedChannel();

        registry.register("d", old);
        assertThat(registry.register("d", newer)).isSameAs(old);
        assertThat(registry.unregister("d", old)).isFalse();

        assertThat(registry.find("d")).isSameAs(newer);
        assertThat(registry.unregister("d", newer)).isTrue();
        assertThat(registry.size()).isZero();
    }

    @Test
    void aSessionThatFindsTheIdUnboundAlsoFindsTheClosingSessionsHandOff() throws Exception {
        ChannelRegistry registry = new ChannelRegistry(16);
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 20_000; round++) {
                Channel old = new EmbeddedChannel();
                registry.register("d", old);
                CompletableFuture<Void> handOff = new CompletableFuture<>();
                Future<?> closing = closer.submit(() -> registry.unregister("d", old, handOff));
                while (registry.find("d") != null) {
                    Thread.onSpinWait(); // a new connection of the device, on another event loop, looking
                }
                CompletableFuture<Void> seen = registry.awaitHandOff("d");
                assertThat(seen).as("round %d: a new session would read the store too early", round).isNotDone();
                handOff.complete(null);
                assertThat(seen).isDone();
                closing.get(5, TimeUnit.SECONDS);
            }
        } finally {
            closer.shutdownNow();
        }
    }

    @Test
    void concurrentConnectsAndDisconnectsLeaveExactlyTheLastConnectionOfEachId() throws Exception {
        ChannelRegistry registry = new ChannelRegistry(1024);
        int threads = 8;
        int idsCount = 200;
        int rounds = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < rounds; i++) {
                    String id = "d" + random.nextInt(idsCount);
                    Channel channel = new EmbeddedChannel();
                    registry.register(id, channel);
                    if (random.nextBoolean()) {
                        registry.unregister(id, channel);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // every remaining entry maps to a channel; removing with a foreign channel never succeeds
        for (int i = 0; i < idsCount; i++) {
            Channel current = registry.find("d" + i);
            if (current != null) {
                assertThat(registry.unregister("d" + i, new EmbeddedChannel())).isFalse();
                assertThat(registry.unregister("d" + i, current)).isTrue();
            }
        }
        assertThat(registry.size()).isZero();
    }
}
