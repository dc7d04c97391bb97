package io.herald.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM the bench starts (the Herald server or the baseline server), so that its memory and CPU are measured
 * apart from the load generator's. Output goes to a log file; stopping is SIGTERM (shutdown hooks run), then,
 * past a bound, SIGKILL.
 */
public final class ChildJvm implements AutoCloseable {
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final List<String> command;
    private final Path log;
    private Process process;

    public ChildJvm(List<String> jvmArgs, List<String> launch, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(launch);
        this.command = List.copyOf(cmd);
        this.log = log;
    }

    public ChildJvm start() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public List<String> command() {
        return command;
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, wait (bounded), SIGKILL if still alive. */
    public void stop() {
        if (process != null) {
            stop(process);
        }
    }

    /** Stops any process the bench started: SIGTERM, wait (bounded), SIGKILL if still alive. */
    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A port free right now on 127.0.0.1 (chosen up front so that a restarted server gets the same ports). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something accepts TCP connections on the port; false at the deadline or if the JVM died. */
    public boolean awaitListening(int port, long deadlineNanos) {
        return awaitListening(this::isAlive, port, deadlineNanos);
    }

    /** Waits until something accepts TCP connections on the port; false at the deadline or once {@code alive} is not. */
    static boolean awaitListening(BooleanSupplier alive, int port, long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos && alive.getAsBoolean()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        return false;
    }
}
