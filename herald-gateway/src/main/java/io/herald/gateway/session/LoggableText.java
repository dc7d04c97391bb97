package io.herald.gateway.session;

/** Text a device chose (an ERROR or ACK reason), made fit for a log line: one line, bounded. */
public final class LoggableText {
    private static final int MAX_LENGTH = 200;

    private LoggableText() {
    }

    public static String of(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH) + "...";
    }
}
