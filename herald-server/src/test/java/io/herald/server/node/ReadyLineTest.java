package io.herald.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadyLineTest {

    /**
     * Standard output as the JVM sets it up (auto-flushing, buffered) over a sink that keeps each write the file
     * descriptor would see. When standard error shares the file (the supervisor's log), anything between two writes
     * can hold a log line, so the ready line must be one write. With {@code printf} it was six, and in CI a JSON log
     * line landed inside a gateway's "is up" line.
     */
    @Test
    void theReadyLineReachesTheFileDescriptorInOneWrite() {
        List<String> writes = new ArrayList<>();
        OutputStream descriptor = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(String.valueOf((char) b));
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writes.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
            }
        };
        PrintStream stdout = new PrintStream(new BufferedOutputStream(descriptor, 8192), true, StandardCharsets.UTF_8);

        ReadyLine.print(stdout, "Herald gateway %s is up: device TCP %d  WebSocket %d  internal link %d%s", "g1", 41399,
                -1, 33435, "  (link: TLS)");

        assertThat(writes).containsExactly(
                "Herald gateway g1 is up: device TCP 41399  WebSocket -1  internal link 33435  (link: TLS)"
                        + System.lineSeparator());
    }
}
