package io.herald.server.cli;

import ch.qos.logback.classic.Level;
import io.herald.server.logging.LogFormat;
import picocli.CommandLine.Option;

/** {@code --log-format} and {@code --log-level}, the same for every role. */
public final class LogOptions {

    @Option(names = "--log-format", defaultValue = "text",
            description = "text (a line a record, for people) or json (one JSON object a line: timestamp, level,"
                    + " logger, thread, message, traceId, clientId, node, exception; for ELK and the like)."
                    + " Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--log-level",
            description = "Level of the root logger: TRACE, DEBUG, INFO, WARN, ERROR or OFF. Default: INFO"
                    + " (libraries stay at WARN).")
    String level;

    /** Checks both options, then switches the process's logging to them; call before the node starts. */
    public void apply(String node) {
        LogFormat logFormat = LogFormat.parse("--log-format", format);
        Level rootLevel = level == null ? null : LogFormat.level("--log-level", level);
        logFormat.apply(node);
        if (rootLevel != null) {
            LogFormat.setRootLevel(rootLevel);
        }
    }
}
