package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.Wire;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.SocketFrames;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken clients on a real socket: they get a clear last frame and the connection closes. */
class ConnectionRejectionTest {
    @TempDir
    static Path dataDir;
    private static StandaloneFixture herald;

    @BeforeAll
    static void start() throws Exception {
        herald = new StandaloneFixture(dataDir, Duration.ofMillis(800));
    }

    @AfterAll
    static void stop() {
        herald.close();
    }

    @Test
    void badTokenGetsAuthFailThenClose() throws Exception {
        try (Socket socket = connect()) {
            write(socket, new AuthFrame("forged-token"));

            Frame reply = read(socket);
            assertThat(reply).isInstanceOf(AuthFailFrame.class);
            assertThat(((AuthFailFrame) reply).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void connectionThatNeverAuthenticatesIsClosedWithAuthTimeout() throws Exception {
        try (Socket socket = connect()) {
            Frame reply = read(socket);
            assertThat(reply).isEqualTo(new ErrorFrame(ErrorCode.AUTH_TIMEOUT, "no valid AUTH within 800 ms"));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void garbageBytesGetAnErrorFrameThenClose() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            Frame reply = read(socket);
            assertThat(((ErrorFrame) reply).code()).isEqualTo(ErrorCode.BAD_MAGIC);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void oversizedFrameIsRefusedFromItsHeader() throws Exception {
        try (Socket socket = connect()) {
            byte[] header = {Wire.MAGIC, Wire.VERSION, 0x06, 0, 0x7F, 0, 0, 0};
            socket.getOutputStream().write(header);

            Frame reply = read(socket);
            assertThat(((ErrorFrame) reply).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void gatewayStillServesAfterAbuse() throws Exception {
        RecordingListener listener = new RecordingListener();
        herald.client("survivor", listener).start().get(10, java.util.concurrent.TimeUnit.SECONDS);
        herald.push("{\"to\":\"survivor\",\"payload\":\"still here\"}");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.messages.size() == 1);
    }

    private static Socket connect() throws IOException {
        return SocketFrames.connect(herald.node.tcpPort());
    }

    private static void write(Socket socket, Frame frame) throws IOException {
        SocketFrames.write(socket, frame);
    }

    private static Frame read(Socket socket) throws Exception {
        return SocketFrames.read(socket);
    }
}
