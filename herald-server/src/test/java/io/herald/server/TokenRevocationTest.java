package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.NoticeFrame;
import io.herald.protocol.testing.SocketFrames;
import java.io.EOFException;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: tokens can be revoked. {@code DELETE /api/v1/devices/{id}/tokens} and a kick with
 * {@code ?revokeTokens=true} close the session and refuse every token issued so far; a plain kick leaves the token
 * valid, as does a newer login (a device may hold several tokens). The device can still log in with its secret.
 */
class TokenRevocationTest extends StandaloneNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void revokingTokensClosesTheSessionAndRefusesEveryEarlierToken() throws Exception {
        herald.register("rev-1");
        String first = login("rev-1");
        String second = login("rev-1");
        assertThat(authenticates(first)).as("a newer login leaves older tokens valid").isTrue();
        try (Socket session = connect(second)) {

            HttpResponse<String> revoked = herald.delete("/api/v1/devices/rev-1/tokens");

            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
            assertThat(kickedAndClosed(session)).isTrue();
        }
        assertThat(authenticates(first)).isFalse();
        assertThat(authenticates(second)).isFalse();
        assertThat(authenticates(login("rev-1"))).as("the secret still logs in").isTrue();
    }

    @Test
    void aKickRevokesTheTokensOnlyWhenAsked() throws Exception {
        herald.register("rev-2");
        String token = login("rev-2");
        try (Socket session = connect(token)) {
            HttpResponse<String> kicked = herald.delete("/api/v1/devices/rev-2/session");
            assertThat(JSON.readTree(kicked.body()).get("tokensRevoked").asBoolean()).isFalse();
            assertThat(kickedAndClosed(session)).isTrue();
        }
        try (Socket session = connect(token)) {
            HttpResponse<String> kicked = herald.delete("/api/v1/devices/rev-2/session?revokeTokens=true");
            assertThat(kicked.statusCode()).as(kicked.body()).isEqualTo(200);
            assertThat(JSON.readTree(kicked.body()).get("kicked").asBoolean()).isTrue();
            assertThat(JSON.readTree(kicked.body()).get("tokensRevoked").asBoolean()).isTrue();
            assertThat(kickedAndClosed(session)).isTrue();
        }
        assertThat(authenticates(token)).isFalse();
    }

    @Test
    void revokingTheTokensOfAnUnknownDeviceIs404() throws Exception {
        assertThat(herald.delete("/api/v1/devices/nobody/tokens").statusCode()).isEqualTo(404);
        assertThat(herald.delete("/api/v1/devices/nobody/session?revokeTokens=true").statusCode()).isEqualTo(404);
        herald.register("rev-3");
        assertThat(herald.delete("/api/v1/devices/rev-3/session?revokeTokens=yes").statusCode()).isEqualTo(400);
    }

    private String login(String clientId) throws Exception {
        HttpResponse<String> answer = herald.post("/api/v1/login",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + StandaloneFixture.SECRET + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("token").asText();
    }

    private Socket connect(String token) throws Exception {
        Socket socket = SocketFrames.connect(herald.node.tcpPort());
        SocketFrames.write(socket, new AuthFrame(token));
        assertThat(SocketFrames.read(socket)).isInstanceOf(AuthOkFrame.class);
        return socket;
    }

    private boolean authenticates(String token) throws Exception {
        try (Socket socket = SocketFrames.connect(herald.node.tcpPort())) {
            SocketFrames.write(socket, new AuthFrame(token));
            Frame answer = SocketFrames.read(socket);
            assertThat(answer).isInstanceOfAny(AuthOkFrame.class, AuthFailFrame.class);
            return answer instanceof AuthOkFrame;
        }
    }

    /** A KICKED notice, then the server closes the connection. */
    private static boolean kickedAndClosed(Socket session) throws Exception {
        boolean kicked = false;
        try {
            while (true) {
                if (SocketFrames.read(session) instanceof NoticeFrame) {
                    kicked = true;
                }
            }
        } catch (EOFException | SocketException closed) {
            return kicked;
        }
    }
}
