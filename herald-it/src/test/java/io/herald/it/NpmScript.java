package io.herald.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The npm package herald-js, built, and a Node.js script of it running as a process this test talks to line by line
 * over its stdin and stdout (stderr merged in). The transcript of everything it printed goes into failure messages.
 */
final class NpmScript implements AutoCloseable {
    /** The npm package, beside this module. */
    static final Path PACKAGE = Path.of(System.getProperty("user.dir")).resolve("../herald-js").normalize();
    private static final String END = "\u0000end";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private NpmScript(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "npm-script-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Installs the package's locked dependencies when they are missing ({@code npm ci}) and builds it
     * ({@code npm run build}), so that the script runs on the current sources.
     */
    static void build(Path logDirectory) throws IOException, InterruptedException {
        if (!Files.isDirectory(PACKAGE.resolve("node_modules"))) {
            run(logDirectory, "npm", "ci", "--no-audit", "--no-fund");
        }
        run(logDirectory, "npm", "run", "build");
    }

    /** Starts {@code node script} in the package directory. */
    static NpmScript start(String script) throws IOException {
        return new NpmScript(new ProcessBuilder("node", script).directory(PACKAGE.toFile())
                .redirectErrorStream(true).start());
    }

    /** The next line the script printed that starts with one of {@code prefixes}; other lines only go to the transcript. */
    String await(long timeoutSeconds, String... prefixes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line.equals(END)) {
                throw new AssertionError((line == null ? "no line starting with " + List.of(prefixes) + " within "
                        + timeoutSeconds + " s" : "the script ended") + "; it printed:\n" + transcript());
            }
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for the script to end; its exit code. */
    int exitCode(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the script did not end within " + timeoutSeconds + " s; it printed:\n"
                    + transcript());
        }
        return process.exitValue();
    }

    String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (transcript) {
                    transcript.add(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            synchronized (transcript) {
                transcript.add("(reading the output failed: " + e + ")");
            }
        } finally {
            lines.add(END);
        }
    }

    private static void run(Path logDirectory, String... command) throws IOException, InterruptedException {
        Path log = logDirectory.resolve("npm-" + command[1] + ".log");
        Process process = new ProcessBuilder(command).directory(PACKAGE.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed in " + PACKAGE + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
