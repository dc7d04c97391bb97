package io.herald.bench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One worker JVM seen from the parent: commands go to its stdin, its JSON answers are queued from its stdout,
 * and everything else it prints goes to the parent's stderr prefixed with its index, so that a failing worker is
 * readable in the bench's own output.
 */
final class WorkerProcess implements AutoCloseable {
    private static final long POLL_MILLIS = 100;
    private static final long EXIT_WAIT_SECONDS = 5;

    private final int index;
    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();

    private WorkerProcess(int index, Process process) {
        this.index = index;
        this.process = process;
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        pump(process.getInputStream(), "stdout", line -> {
            JsonNode answer = WorkerMessages.parse(line);
            if (answer != null) {
                answers.add(answer);
            } else {
                diagnostic(line);
            }
        });
        pump(process.getErrorStream(), "stderr", this::diagnostic);
    }

    static WorkerProcess start(int index, List<String> command) {
        try {
            return new WorkerProcess(index, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + index + ": " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    void send(String command) {
        stdin.println(command);
    }

    /** The next answer, which must be {@code event}; fails when the worker dies, strays or misses the deadline. */
    JsonNode await(String event, long deadlineNanos) {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("worker " + index + " did not answer '" + event + "' in time");
            }
            JsonNode answer;
            try {
                answer = answers.poll(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MILLIS), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for worker " + index, e);
            }
            if (answer != null) {
                if (!event.equals(answer.path("event").asText())) {
                    throw new IllegalStateException("worker " + index + " answered " + answer + " instead of " + event);
                }
                return answer;
            }
            if (!process.isAlive() && answers.isEmpty()) {
                throw new IllegalStateException("worker " + index + " exited with code " + process.exitValue()
                        + " before answering '" + event + "'");
            }
        }
    }

    /** Closes stdin (a live worker takes that as stop), waits briefly, then kills whatever is left. */
    @Override
    public void close() {
        stdin.close();
        try {
            process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /** For the shutdown hook: no waiting, the parent is going away. */
    void kill() {
        process.destroyForcibly();
    }

    private void diagnostic(String line) {
        System.err.println("[worker " + index + "] " + line);
    }

    private void pump(InputStream stream, String name, Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                // Ends at EOF, which comes when the worker exits.
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                diagnostic(name + " closed: " + e.getMessage());
            }
        }, "bench-worker-" + index + "-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
