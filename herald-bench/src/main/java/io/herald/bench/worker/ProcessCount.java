package io.herald.bench.worker;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many processes simulate a fleet. Each device holds one socket, so one process can hold no more devices than
 * its open-file limit minus what the JVM itself keeps open; {@code auto} picks the fewest processes that stay
 * within that, and at most {@link #MAX_DEVICES_PER_PROCESS} per process.
 */
public final class ProcessCount {
    public static final int MAX_DEVICES_PER_PROCESS = 15_000;
    /** Files a process keeps open besides device sockets: jars, epoll and event fds, pipes, the HTTP client. */
    private static final int FILE_HEADROOM = 1_000;

    private ProcessCount() {
    }

    /** {@code auto} or a positive number, for a fleet of {@code devices}. */
    public static int resolve(String option, int devices) {
        if ("auto".equalsIgnoreCase(option)) {
            int perProcess = devicesPerProcess(openFileLimit());
            return Math.max(1, (devices + perProcess - 1) / perProcess);
        }
        int processes;
        try {
            processes = Integer.parseInt(option);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--processes must be 'auto' or a number, was '" + option + "'");
        }
        if (processes < 1 || processes > Math.max(1, devices)) {
            throw new IllegalArgumentException("--processes must be between 1 and the number of devices ("
                    + devices + "), was " + processes);
        }
        return processes;
    }

    static int devicesPerProcess(long openFileLimit) {
        return (int) Math.max(1, Math.min(MAX_DEVICES_PER_PROCESS, openFileLimit - FILE_HEADROOM));
    }

    /** This process's limit, which the workers inherit; when unknown, assume the full per-process maximum. */
    private static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount()
                : MAX_DEVICES_PER_PROCESS + FILE_HEADROOM;
    }
}
