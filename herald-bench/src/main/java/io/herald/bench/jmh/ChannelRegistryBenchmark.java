package io.herald.bench.jmh;

import io.herald.gateway.session.ChannelRegistry;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** {@link ChannelRegistry} with N sessions: lookup (every push), and add+remove (every connect and close). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChannelRegistryBenchmark {
    @Param({"19000"})
    int sessions;

    private ChannelRegistry registry;
    private String[] ids;
    private Channel[] channels;

    @Setup
    public void setUp() {
        registry = new ChannelRegistry(sessions);
        ids = new String[sessions];
        channels = new Channel[sessions];
        for (int i = 0; i < sessions; i++) {
            ids[i] = String.format("device-%06d", i);
            channels[i] = new EmbeddedChannel();
            registry.register(ids[i], channels[i]);
        }
    }

    @Benchmark
    @Threads(2)
    public Channel lookup() {
        return registry.find(ids[ThreadLocalRandom.current().nextInt(sessions)]);
    }

    @Benchmark
    @Threads(2)
    public boolean addAndRemove() {
        int i = ThreadLocalRandom.current().nextInt(sessions);
        registry.register(ids[i], channels[i]);
        return registry.unregister(ids[i], channels[i]) && registry.register(ids[i], channels[i]) == null;
    }
}
