package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The unpacked distribution and the processes a test starts from it, each with an environment of its own: a PATH,
 * JAVA_HOME (this JVM's runtime, the only thing the tarball may need) and HOME in the test's directory; nothing of
 * this build's class path, no Maven, no source tree, no HERALD_* variable of the caller.
 */
final class Installed {
    /**
     * The JVM options of every process started (HERALD_JAVA_OPTS, HERALD_BENCH_JAVA_OPTS, which bin/herald reads):
     * short-lived JVMs on a busy machine start faster with the quick compiler alone and one GC thread.
     */
    private static final String JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m";

    private final Path home;
    private final Path workDir;

    Installed(Path home, Path workDir) {
        this.home = home;
        this.workDir = workDir;
    }

    Path home() {
        return home;
    }

    /** Starts {@code bin/herald args} in the work directory, its output (both streams) into {@code log}. */
    Process start(Map<String, String> env, Path log, String... args) {
        return start(env, ProcessBuilder.Redirect.to(log.toFile()), ProcessBuilder.Redirect.appendTo(log.toFile()),
                args);
    }

    /** Starts {@code bin/herald args}; stdin stays a pipe, stdout and stderr go where they are told. */
    Process start(Map<String, String> env, ProcessBuilder.Redirect out, ProcessBuilder.Redirect err, String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/herald").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out).redirectError(err);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", workDir.toString());
        builder.environment().put("HERALD_JAVA_OPTS", JAVA_OPTS);
        builder.environment().put("HERALD_BENCH_JAVA_OPTS", JAVA_OPTS);
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code bin/herald args} to its end (at most a minute) and returns its exit code and output. */
    Result run(String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, "run", ".log");
        Process process = start(Map.of(), log, args);
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            stop(process);
        }
        assertThat(ended).as("bin/herald %s ended within a minute", String.join(" ", args)).isTrue();
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** SIGTERM (bin/herald execs the JVM, so the JVM gets it), then SIGKILL for anything left after 20 s. */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    record Result(int exitCode, String output) {
    }
}
