package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A body that trickles in slower than the request timeout: the caller gets its 503 at the timeout and then the
 * connection is closed a few seconds later, instead of being held for as long as the caller keeps trickling.
 */
class SlowBodyApiTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withRequestTimeout(TIMEOUT);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aTricklingBodyGets503AtTheTimeoutAndItsConnectionIsClosed() throws Exception {
        for (String path : new String[] {"/api/v1/push", "/api/v1/login"}) {
            trickle(path);
        }
    }

    private static void trickle(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port)) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + TestApi.API_KEY + "\r\nContent-Length: 1000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long start = System.nanoTime();
            long answeredAt = 0;
            boolean closed = false;
            // one byte every 100 ms for up to 10 s: far longer than the timeout, and the body needs 100 s
            while (!closed && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
                try {
                    out.write(' ');
                    out.flush();
                } catch (SocketException e) {
                    closed = true; // reset by the server: closed
                    break;
                }
                try {
                    byte[] buffer = new byte[4096];
                    int n = in.read(buffer);
                    if (n < 0) {
                        closed = true;
                    } else {
                        received.write(buffer, 0, n);
                        if (answeredAt == 0) {
                            answeredAt = System.nanoTime();
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet
                } catch (SocketException e) {
                    closed = true;
                }
            }
            long closedAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
            String response = received.toString(StandardCharsets.UTF_8);
            assertThat(response).as(path).startsWith("HTTP/1.1 503").contains("\"code\":\"timeout\"");
            assertThat(closed).as("%s: connection closed after the 503 (%s)", path, response).isTrue();
            // Armeria closes an HTTP/1.1 connection 3 s after the last answer (time for the client to read it);
            // before, it stayed open as long as the body kept coming (10 s here, 150 s in the review).
            long answeredAfter = Duration.ofNanos(answeredAt - start).toMillis();
            assertThat(answeredAfter).as(path + ": answered at the timeout").isLessThan(TIMEOUT.toMillis() + 1000);
            assertThat(closedAfter - answeredAfter).as(path + ": closed soon after the answer").isLessThan(4500);
        } catch (IOException e) {
            throw new AssertionError(path, e);
        }
    }
}
