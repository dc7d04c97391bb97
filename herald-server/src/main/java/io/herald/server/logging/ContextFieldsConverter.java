package io.herald.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * The {@code %fields} of Herald's log pattern: {@code trace=… client=…} from the SLF4J MDC, each only when known.
 * A line about a connection before its AUTH names no client rather than printing {@code client=-}.
 */
public final class ContextFieldsConverter extends ClassicConverter {
    /** MDC key, and the field name it is printed under. */
    private static final String[][] FIELDS = {{"traceId", "trace"}, {"clientId", "client"}};

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (String[] field : FIELDS) {
            String value = mdc.get(field[0]);
            if (value != null && !value.isEmpty()) {
                text.append(' ').append(field[1]).append('=').append(value);
            }
        }
        return text.toString();
    }
}
