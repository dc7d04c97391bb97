package io.herald.bench.baseline;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench baseline-server}: runs the ideal baseline server until stopped (SIGTERM) or its lifetime ends. */
@Command(name = "baseline-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the bare Netty baseline server; the broadcast and p2p scenarios start it as a process.")
public final class BaselineServerCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", defaultValue = "7100", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Event loop threads; 0 = two per core, as Herald's gateway (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--max-lifetime", defaultValue = "30",
            description = "Minutes after which the server stops by itself (default: ${DEFAULT-VALUE}).")
    long maxLifetimeMinutes;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (BaselineServer server = new BaselineServer(bind, port, ioThreads)) {
            System.out.println("baseline server listening on " + bind + ":" + server.port());
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "baseline-shutdown"));
            stopped.await(Duration.ofMinutes(maxLifetimeMinutes).toMillis(), TimeUnit.MILLISECONDS);
        }
        return 0;
    }
}
