package io.herald.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node writes its log: {@code text} (logback.xml, one line a record for people) or {@code json}
 * (logback-json.xml, one JSON object a line for ELK and the like, every line naming the node).
 */
public enum LogFormat {
    TEXT,
    JSON;

    private static final String JSON_CONFIGURATION = "/logback-json.xml";

    /** @throws IllegalArgumentException naming {@code option} for anything but text or json */
    public static LogFormat parse(String option, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be text or json, was '" + value + "'");
        }
    }

    /**
     * Switches this process's logging to the format, {@code node} naming it in every JSON line. Text keeps the
     * configuration Logback started with (logback.xml, or a {@code -Dlogback.configurationFile}); json replaces it.
     */
    public void apply(String node) {
        if (this == TEXT) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL configuration = LogFormat.class.getResource(JSON_CONFIGURATION);
        if (configuration == null) {
            throw new IllegalStateException(JSON_CONFIGURATION + " is missing from the jar");
        }
        context.reset();
        // Goes into the JSON of customFields as it is: the options are checked after this, so escape it here.
        context.putProperty("HERALD_NODE", node.replace("\\", "\\\\").replace("\"", "\\\"")
                .replaceAll("\\p{Cntrl}", "?"));
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            throw new IllegalStateException("could not switch to JSON logs: " + e.getMessage(), e);
        }
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getLevel() == Status.ERROR) {
                throw new IllegalStateException("could not switch to JSON logs: " + status.getMessage());
            }
        }
    }

    /** @throws IllegalArgumentException naming {@code option} for a level Logback does not know */
    public static Level level(String option, String value) {
        Level level = Level.toLevel(value, null);
        if (level == null) {
            throw new IllegalArgumentException(option + " must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, was '"
                    + value + "'");
        }
        return level;
    }

    /** The root logger's level (the configurations read {@code HERALD_LOG_LEVEL}; this is the option's way). */
    public static void setRootLevel(Level level) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }
}
