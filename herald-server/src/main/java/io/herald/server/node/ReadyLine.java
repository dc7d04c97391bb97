package io.herald.server.node;

import java.io.PrintStream;

/**
 * The one line a node prints to standard output once it serves ("Herald gateway g1 is up: ..."), which scripts and
 * tests wait for. It is formatted first and reaches the file descriptor in one write: {@code printf} on the
 * auto-flushing {@code System.out} writes each piece of the format separately, and when standard output and standard
 * error go to one file or pipe (a supervisor's log, {@code 2>&1}) a log line written to standard error between two
 * pieces tore the line the supervisor matches.
 */
public final class ReadyLine {
    private ReadyLine() {
    }

    public static void print(String format, Object... args) {
        print(System.out, format, args);
    }

    static void print(PrintStream out, String format, Object... args) {
        out.println(String.format(format, args));
        out.flush();
    }
}
