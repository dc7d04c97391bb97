package io.herald.server.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.herald.core.time.Durations;
import java.time.Duration;
import org.slf4j.helpers.MessageFormatter;

/**
 * The {@code %msg} of Herald's log pattern: the message with any {@link Duration} argument written as the options
 * take it ({@code 10s}) instead of ISO-8601 ({@code PT10S}). One place for every module's log lines.
 */
public final class HumanMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (arguments == null || !hasDuration(arguments)) {
            return event.getFormattedMessage();
        }
        Object[] human = arguments.clone();
        for (int i = 0; i < human.length; i++) {
            if (human[i] instanceof Duration duration) {
                human[i] = Durations.format(duration);
            }
        }
        return MessageFormatter.arrayFormat(event.getMessage(), human).getMessage();
    }

    private static boolean hasDuration(Object[] arguments) {
        for (Object argument : arguments) {
            if (argument instanceof Duration) {
                return true;
            }
        }
        return false;
    }
}
