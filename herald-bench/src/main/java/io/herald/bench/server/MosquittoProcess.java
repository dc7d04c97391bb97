package io.herald.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Mosquitto broker (Debian's {@code mosquitto}) as the MQTT scenarios' reference, started by the bench on a
 * private port of 127.0.0.1 with a configuration of its own, never the system broker on 1883: devices and the
 * backend publisher authenticate against a password file ({@code mosquitto_passwd -U} hashes it, as an operator
 * would), sessions persist ({@code persistence true}: Mosquitto keeps them in memory and writes them to disk at
 * exit and every {@code autosave_interval}, it does not write each message), and a device has at most
 * {@link #MAX_INFLIGHT} unacknowledged QoS 1 messages, as Herald's {@code --max-inflight} default.
 */
public final class MosquittoProcess implements AutoCloseable {
    public static final Path BROKER = Path.of("/usr/sbin/mosquitto");
    private static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    /** Herald's default --max-inflight: both sides keep as many QoS 1 messages unacknowledged per device. */
    public static final int MAX_INFLIGHT = 32;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final List<String> command;
    private final Path log;

    private MosquittoProcess(Process process, int port, List<String> command, Path log) {
        this.process = process;
        this.port = port;
        this.command = command;
        this.log = log;
    }

    /**
     * Writes the configuration and the hashed password file under {@code workDir}/mosquitto and starts the broker;
     * returns once it listens.
     *
     * @param passwords user name → password of every client that may connect
     */
    public static MosquittoProcess start(Path workDir, Map<String, String> passwords) {
        if (!Files.isExecutable(BROKER) || !Files.isExecutable(PASSWD)) {
            throw new IllegalStateException(BROKER + " and " + PASSWD + " are needed (Debian: apt-get install "
                    + "mosquitto); see scripts/test-setup.sh");
        }
        Path dir = workDir.resolve("mosquitto");
        int port = ChildJvm.freePort();
        try {
            Files.createDirectories(dir);
            Path passwordFile = dir.resolve("passwords");
            StringBuilder plain = new StringBuilder();
            passwords.forEach((user, password) -> plain.append(user).append(':').append(password).append('\n'));
            Files.writeString(passwordFile, plain, StandardCharsets.UTF_8);
            run(List.of(PASSWD.toString(), "-U", passwordFile.toString()), dir.resolve("passwd.log"));
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, String.join("\n",
                    "# Written by herald-bench: a private broker for one run.",
                    "user root",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous false",
                    "password_file " + passwordFile,
                    "persistence true",
                    "persistence_location " + dir + "/",
                    "max_inflight_messages " + MAX_INFLIGHT,
                    "set_tcp_nodelay true",
                    "log_dest stderr",
                    "log_type error",
                    "log_type warning",
                    "log_type notice",
                    ""), StandardCharsets.UTF_8);
            List<String> command = List.of(BROKER.toString(), "-c", config.toString());
            Path log = dir.resolve("mosquitto.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            MosquittoProcess broker = new MosquittoProcess(process, port, command, log);
            if (!ChildJvm.awaitListening(process::isAlive, port, System.nanoTime() + START_TIMEOUT.toNanos())) {
                broker.close();
                throw new IllegalStateException("Mosquitto did not listen on " + port + " within " + START_TIMEOUT
                        + "; see " + log);
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Mosquitto in " + dir, e);
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public long pid() {
        return process.pid();
    }

    public String commandLine() {
        return String.join(" ", command);
    }

    /** The broker's version line, e.g. "mosquitto version 2.0.11". */
    public static String version() {
        try {
            Process process = new ProcessBuilder(BROKER.toString(), "-h")
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("mosquitto").trim();
        } catch (IOException e) {
            return "mosquitto (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "mosquitto";
        }
    }

    /** SIGTERM (Mosquitto saves its sessions and exits), then, past a bound, SIGKILL. */
    @Override
    public void close() {
        ChildJvm.stop(process);
    }
}
