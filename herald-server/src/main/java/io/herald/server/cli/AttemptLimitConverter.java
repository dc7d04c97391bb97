package io.herald.server.cli;

import io.herald.core.limit.AttemptLimit;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an attempt limit as {@code COUNT/DURATION}: {@code 10/5m} is ten per five minutes; {@code off} or 0 is none. */
public final class AttemptLimitConverter implements ITypeConverter<AttemptLimit> {

    @Override
    public AttemptLimit convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("0")) {
            return AttemptLimit.OFF;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new TypeConversionException("'" + value + "' is not COUNT/DURATION; write e.g. 10/5m, or off");
        }
        int count;
        try {
            count = Integer.parseInt(text.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "': the count before '/' is not a number");
        }
        try {
            return new AttemptLimit(count, new DurationConverter().convert(text.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "': " + e.getMessage());
        }
    }
}
