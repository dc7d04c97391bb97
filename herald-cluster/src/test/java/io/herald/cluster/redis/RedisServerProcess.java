package io.herald.cluster.redis;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server for one test class: its own free port on 127.0.0.1, nothing saved to disk, killed with the
 * class (and with the JVM, should the class never get to it). Never the machine's shared Redis on 6379.
 */
public final class RedisServerProcess implements AutoCloseable {
    static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final Path workDir;
    /** Beyond the plain port (which the start-up check pings): TLS settings, or nothing. */
    private final List<String> extraArguments;
    private final int tlsPort;
    private final Thread killOnExit = new Thread(this::kill, "redis-server-killer");
    private Process process;

    private RedisServerProcess(int port, Path workDir, int tlsPort, List<String> extraArguments) {
        this.port = port;
        this.workDir = workDir;
        this.tlsPort = tlsPort;
        this.extraArguments = extraArguments;
    }

    /** Starts a server on a free port; fails clearly when redis-server is not installed (bin/test needs it). */
    public static RedisServerProcess start() throws IOException {
        requireInstalled();
        return launched(new RedisServerProcess(freePort(), Files.createTempDirectory("herald-redis-"), -1,
                List.of()));
    }

    /**
     * Like {@link #start()}, also serving TLS on a port of its own ({@link #tlsUri()}) with this PEM chain and
     * key; clients need no certificate. Debian's redis-server is built with TLS (linked against OpenSSL); one built
     * without fails to start here, its log saying so.
     */
    public static RedisServerProcess startTls(Path certificateChain, Path key) throws IOException {
        requireInstalled();
        int tlsPort = freePort();
        return launched(new RedisServerProcess(freePort(), Files.createTempDirectory("herald-redis-"), tlsPort,
                List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certificateChain.toString(),
                        "--tls-key-file", key.toString(), "--tls-auth-clients", "no")));
    }

    private static RedisServerProcess launched(RedisServerProcess server) throws IOException {
        Runtime.getRuntime().addShutdownHook(server.killOnExit);
        server.launch();
        return server;
    }

    private static void requireInstalled() {
        if (!Files.isExecutable(REDIS_SERVER)) {
            throw new IllegalStateException(REDIS_SERVER + " is not installed (apt-get install redis-server)");
        }
    }

    int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The TLS port's URI; only for a server from {@link #startTls}. */
    public String tlsUri() {
        if (tlsPort < 0) {
            throw new IllegalStateException("this redis-server serves no TLS");
        }
        return "rediss://127.0.0.1:" + tlsPort + "/0";
    }

    /** Kills the server at once (SIGKILL, like a crash), then starts a new empty one on the same port. */
    void restart() throws IOException {
        kill();
        launch();
    }

    /** Kills the server at once (SIGKILL, like a crash). */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() throws IOException {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to undo
        }
        Files.deleteIfExists(workDir.resolve("redis.log"));
        Files.deleteIfExists(workDir);
    }

    /** Starts the server on this object's port (again, after {@link #kill()}) and waits until it answers PING. */
    void launch() throws IOException {
        Path log = workDir.resolve("redis.log");
        List<String> command = new ArrayList<>(List.of(REDIS_SERVER.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workDir.toString()));
        command.addAll(extraArguments);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("redis-server did not come up on port " + port + ":\n"
                        + Files.readString(log));
            }
            sleep(20);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
