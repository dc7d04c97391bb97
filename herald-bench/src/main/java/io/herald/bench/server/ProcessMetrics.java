package io.herald.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/** Memory and CPU of another process, from {@code /proc} (Linux), and a full GC through {@code jcmd}. */
public final class ProcessMetrics {
    /** {@code   12:     19000     912000  io.netty.channel.epoll.EpollSocketChannel (module)}: instances, bytes, class. */
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
    /** Clock ticks per second of {@code /proc/<pid>/stat} CPU times (USER_HZ; 100 on every Linux this runs on). */
    public static final double TICKS_PER_SECOND = 100.0;

    private ProcessMetrics() {
    }

    /** Resident set size in bytes (VmRSS), or -1 when unreadable. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU time in clock ticks, or -1 when unreadable. */
    public static long cpuTicks(long pid) {
        long[] split = cpuTicksSplit(pid);
        return split == null ? -1 : split[0] + split[1];
    }

    /** {user, system} CPU time in clock ticks, or null when unreadable. */
    public static long[] cpuTicksSplit(long pid) {
        try {
            return userAndSystemTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {user, system} clock ticks from a process's or a thread's {@code stat} line. */
    private static long[] userAndSystemTicks(String stat) {
        // The command name may contain spaces; fields are counted after its closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    /**
     * User + system CPU time in clock ticks of the process's JIT compiler threads (HotSpot's {@code C1 CompilerThread*}
     * and {@code C2 CompilerThread*}, whose names the kernel cuts to 15 characters), or -1 when unreadable. A
     * compiler thread that ended since an earlier call takes its ticks with it, so a difference can only understate
     * the JIT's share.
     */
    public static long jitCpuTicks(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long sum = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended between the listing and the read
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    long[] ticks = userAndSystemTicks(stat);
                    sum += ticks[0] + ticks[1];
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Runs a full GC in the process ({@code jcmd <pid> GC.run}); false when jcmd failed or took over 60 s. */
    public static boolean fullGc(long pid) {
        return jcmd(pid, "GC.run") != null;
    }

    /**
     * Live bytes per class after a full GC ({@code jcmd <pid> GC.class_histogram}); empty when jcmd failed. Diffing
     * two of these says which objects a load added.
     */
    public static Map<String, Long> classHistogram(long pid) {
        String output = jcmd(pid, "GC.class_histogram");
        Map<String, Long> bytes = new HashMap<>();
        if (output == null) {
            return bytes;
        }
        for (String line : output.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
            }
        }
        return bytes;
    }

    /**
     * Starts a JFR recording ({@code jcmd <pid> JFR.start}, profile settings) that {@link #stopRecording} writes to
     * the file: only the measured phase is recorded, not start-up and registration.
     */
    public static boolean startRecording(long pid, String name, Path file) {
        return jcmd(pid, "JFR.start", "name=" + name, "settings=profile", "filename=" + file) != null;
    }

    public static boolean stopRecording(long pid, String name) {
        return jcmd(pid, "JFR.stop", "name=" + name) != null;
    }

    /** The output of a jcmd command, or null when it failed or took over 60 s. */
    private static String jcmd(long pid, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> line = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line)
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
