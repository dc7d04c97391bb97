package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.core.security.TokenKeyFile;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.SocketFrames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: signed tokens survive a standalone restart (the key is in the data directory), and so do their
 * revocations (a table in the database). A device whose connection dropped because the node restarted comes back
 * with its token, without logging in over HTTP. Old code: tokens in memory, lost at every restart.
 */
class TokensAcrossRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void tokensSurviveARestartButRevokedAndDeletedOnesStayRefused() throws Exception {
        String kept;
        String revoked;
        String deleted;
        try (StandaloneFixture first = new StandaloneFixture(dataDir)) {
            first.register("kept");
            first.register("revoked");
            first.register("deleted");
            kept = login(first, "kept");
            revoked = login(first, "revoked");
            deleted = login(first, "deleted");
            assertThat(first.delete("/api/v1/devices/revoked/tokens").statusCode()).isEqualTo(204);
            assertThat(first.delete("/api/v1/devices/deleted").statusCode()).isEqualTo(204);
        }

        try (StandaloneFixture second = new StandaloneFixture(dataDir)) {
            assertThat(authenticates(second, kept)).as("a token issued before the restart").isTrue();
            assertThat(authenticates(second, revoked)).as("a token revoked before the restart").isFalse();
            assertThat(authenticates(second, deleted)).as("a token of a device deleted before the restart").isFalse();
            assertThat(authenticates(second, login(second, "revoked"))).as("a new login after the revocation").isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDir.resolve(TokenKeyFile.FILE_NAME)))).isEqualTo("rw-------");
    }

    @Test
    void theSdkReconnectsToARestartedNodeWithItsTokenWithoutLoggingIn() throws Exception {
        int httpPort = freePort();
        int tcpPort = freePort();
        RecordingListener listener = new RecordingListener();
        try (ClientResources resources = ClientResources.create()) {
            HeraldClient client;
            try (StandaloneFixture first = StandaloneFixture.onPorts(dataDir, httpPort, tcpPort)) {
                client = HeraldClient.create(resources, HeraldClientOptions.builder()
                        .apiUrl(first.apiUrl()).clientId("comes-back").secret(StandaloneFixture.SECRET)
                        .registerIfMissing(true).build(), listener);
                client.start().get(10, TimeUnit.SECONDS);
                assertThat(logins(first)).isEqualTo(1);
            }
            try (StandaloneFixture second = StandaloneFixture.onPorts(dataDir, httpPort, tcpPort)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> listener.connects.get() == 2);
                assertThat(second.node.gateway().sessions().find("comes-back")).isPresent();
                assertThat(logins(second)).as("HTTP logins on the restarted node").isZero();
            } finally {
                client.close();
            }
        }
    }

    private static String login(StandaloneFixture herald, String clientId) throws Exception {
        HttpResponse<String> answer = herald.post("/api/v1/login",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + StandaloneFixture.SECRET + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("token").asText();
    }

    private static boolean authenticates(StandaloneFixture herald, String token) throws Exception {
        try (Socket socket = SocketFrames.connect(herald.node.tcpPort())) {
            SocketFrames.write(socket, new AuthFrame(token));
            Frame answer = SocketFrames.read(socket);
            assertThat(answer).isInstanceOfAny(AuthOkFrame.class, AuthFailFrame.class);
            return answer instanceof AuthOkFrame;
        }
    }

    /** Successful HTTP logins this node answered, from its metrics. */
    private static long logins(StandaloneFixture herald) throws Exception {
        Matcher ok = Pattern.compile("(?m)^herald_http_logins_total\\{[^}]*result=\"ok\"[^}]*} (\\S+)$")
                .matcher(herald.get("/metrics").body());
        return ok.find() ? (long) Double.parseDouble(ok.group(1)) : 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
