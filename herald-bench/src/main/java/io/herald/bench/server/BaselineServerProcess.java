package io.herald.bench.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The baseline server ({@code bench baseline-server}) in its own JVM, like Herald's, with the bench's class path. */
public final class BaselineServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ChildJvm jvm;
    private final int port;

    private BaselineServerProcess(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    public static BaselineServerProcess start(List<String> jvmArgs, int ioThreads, Path workDir) {
        int port = ChildJvm.freePort();
        ChildJvm jvm = new ChildJvm(jvmArgs, List.of("-cp", System.getProperty("java.class.path"),
                "io.herald.bench.BenchMain", "baseline-server", "--port", Integer.toString(port),
                "--io-threads", Integer.toString(ioThreads)), workDir.resolve("baseline.log")).start();
        if (!jvm.awaitListening(port, System.nanoTime() + START_TIMEOUT.toNanos())) {
            jvm.stop();
            throw new IllegalStateException("the baseline server did not listen within " + START_TIMEOUT + "; see "
                    + jvm.log());
        }
        return new BaselineServerProcess(jvm, port);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public long pid() {
        return jvm.pid();
    }

    @Override
    public void close() {
        jvm.stop();
    }
}
