package io.herald.server.cli;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * {@code --max-connections}: how many device connections a gateway holds at once. Every connection is one of the
 * process's open files, and so are its log files, jars, listeners and its connections to Redis, ZooKeeper, Kafka and
 * the API nodes: a gateway that lets devices take the last of them cannot accept on its ops port or reconnect to
 * those services any more (seen in the 200,000-device run: "accept(..) failed with error(-24): Too many open
 * files" on a gateway that absorbed a restarted one's devices). So by default the capacity is the open-file limit
 * minus a reserve, and a larger value given explicitly is refused at start, naming both numbers.
 */
final class ConnectionCapacityOption {
    static final String NAME = "--max-connections";
    /** The option's default: derive the capacity from the open-file limit. */
    static final int FROM_OPEN_FILE_LIMIT = -1;
    /** Open files kept for everything but devices; a quarter of a small limit. */
    static final int RESERVED_FILES = 1_000;

    private ConnectionCapacityOption() {
    }

    /** The capacity to enforce (0: no limit) for the option's value, under this process's open-file limit. */
    static int resolve(int option) {
        return resolve(option, openFileLimit());
    }

    static int resolve(int option, OptionalLong openFileLimit) {
        if (option < FROM_OPEN_FILE_LIMIT) {
            throw new IllegalArgumentException(NAME + " must be 0 (no limit) or a number of connections, was "
                    + option);
        }
        if (openFileLimit.isEmpty() || option == 0) {
            return option == FROM_OPEN_FILE_LIMIT ? 0 : option;
        }
        long limit = openFileLimit.getAsLong();
        long fits = Math.max(1, limit - Math.min(RESERVED_FILES, limit / 4));
        int allowed = (int) Math.min(Integer.MAX_VALUE, fits);
        if (option == FROM_OPEN_FILE_LIMIT) {
            return allowed;
        }
        if (option > allowed) {
            throw new IllegalArgumentException(NAME + " " + option + " needs more open files than this process may"
                    + " have (" + limit + ", ulimit -n): at most " + allowed + " here, the rest is kept for logs,"
                    + " listeners and the connections to other services; raise the open-file limit (README, 'Large"
                    + " fleets') or lower " + NAME);
        }
        return option;
    }

    private static OptionalLong openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0
                ? OptionalLong.of(unix.getMaxFileDescriptorCount()) : OptionalLong.empty();
    }
}
