package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.ApiLimits;
import io.herald.core.limit.AttemptLimit;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: a device deleted while it logs in must be gone entirely once the delete is answered. Every round
 * registers an id, lets a few raw devices log in and AUTH over real sockets in a loop while an operator deletes
 * the id, and then checks: no token any of them got authenticates, every session that got AUTH_OK is closed by the
 * server, and a new owner registering the id gets its QoS 1 push on its own connection while no old socket sees it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeleteRaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 25;
    private static final int DEVICES = 4;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    @TempDir
    Path dataDir;
    private StandaloneFixture herald;

    @BeforeEach
    void start() throws Exception {
        // Failed logins after the delete are part of the race: they must not lock the address out for later rounds.
        herald = new StandaloneFixture(dataDir, Duration.ofSeconds(2), null,
                new ApiLimits(AttemptLimit.OFF, AttemptLimit.OFF, AttemptLimit.OFF, List.of()));
    }

    @AfterEach
    void stop() {
        herald.close();
    }

    @Test
    void nothingOfADeletedRegistrationSurvivesConcurrentLogins() throws Exception {
        List<String> survivors = new ArrayList<>();
        int tokensSeen = 0;
        int sessionsSeen = 0;
        ExecutorService pool = Executors.newFixedThreadPool(DEVICES + 1);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Round result = round(pool, "race-" + round);
                tokensSeen += result.tokens.size();
                sessionsSeen += result.sessions.size();
                for (String token : result.tokens) {
                    if (authenticates(token)) {
                        survivors.add("round " + round + ": a token still authenticates");
                    }
                }
                for (Socket session : result.sessions) {
                    if (!closedByServer(session)) {
                        survivors.add("round " + round + ": a session is still connected");
                    }
                }
                newOwnerGetsItsPushAlone("race-" + round, result.sessions);
                result.sessions.forEach(DeleteRaceTest::closeQuietly);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokensSeen).as("the race needs logins that succeed").isGreaterThan(ROUNDS);
        assertThat(sessionsSeen).as("and sessions that authenticated").isGreaterThan(ROUNDS);
        assertThat(survivors).isEmpty();
    }

    private record Round(List<String> tokens, List<Socket> sessions) {
    }

    /** Devices log in and AUTH in a loop while the id is deleted; returns what they got. */
    private Round round(ExecutorService pool, String clientId) throws Exception {
        herald.register(clientId);
        List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        List<Socket> sessions = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean deleted = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            work.add(pool.submit(() -> {
                go.await();
                for (int attempt = 0; attempt < 50 && !deleted.get(); attempt++) {
                    String token = login(clientId);
                    if (token == null) {
                        continue;
                    }
                    tokens.add(token);
                    Socket socket = SocketFrames.connect(herald.node.tcpPort());
                    SocketFrames.write(socket, new AuthFrame(token));
                    if (firstAnswerIsAuthOk(socket)) {
                        sessions.add(socket);
                    } else {
                        closeQuietly(socket);
                    }
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            go.await();
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
            HttpResponse<String> answer = herald.delete("/api/v1/devices/" + clientId);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
            deleted.set(true);
            return null;
        }));
        go.countDown();
        for (Future<?> future : work) {
            future.get(60, TimeUnit.SECONDS);
        }
        return new Round(tokens, sessions);
    }

    /** The token of a successful login, or null when the login was refused (the device is gone). */
    private String login(String clientId) throws Exception {
        HttpResponse<String> answer = herald.post("/api/v1/login",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + StandaloneFixture.SECRET + "\"}");
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()).get("token").asText() : null;
    }

    private static boolean firstAnswerIsAuthOk(Socket socket) {
        try {
            return SocketFrames.read(socket) instanceof AuthOkFrame;
        } catch (Exception closedOrRefused) {
            return false;
        }
    }

    private boolean authenticates(String token) throws IOException {
        try (Socket socket = SocketFrames.connect(herald.node.tcpPort())) {
            SocketFrames.write(socket, new AuthFrame(token));
            return firstAnswerIsAuthOk(socket);
        }
    }

    /** Whether the server closes the connection within {@link #CLOSE_WAIT} (a KICKED notice may come first). */
    private static boolean closedByServer(Socket session) throws IOException {
        session.setSoTimeout((int) CLOSE_WAIT.toMillis());
        try {
            while (true) {
                SocketFrames.read(session);
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (Exception closed) {
            return true;
        }
    }

    /** A new owner registers the id again: its QoS 1 push reaches its own connection only. */
    private void newOwnerGetsItsPushAlone(String clientId, List<Socket> oldSessions) throws Exception {
        HttpResponse<String> registered = herald.post("/api/v1/devices",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"new-owner-secret\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        HttpResponse<String> login = herald.post("/api/v1/login",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"new-owner-secret\"}");
        String token = JSON.readTree(login.body()).get("token").asText();
        try (Socket owner = SocketFrames.connect(herald.node.tcpPort())) {
            SocketFrames.write(owner, new AuthFrame(token));
            assertThat(SocketFrames.read(owner)).isInstanceOf(AuthOkFrame.class);
            JsonNode pushed = JSON.readTree(herald.push(
                    "{\"to\":\"" + clientId + "\",\"payload\":\"for the new owner\",\"qos\":1}").body());
            MessageFrame message = nextMessage(owner);
            assertThat(message.messageId()).isEqualTo(pushed.get("messageId").asLong());
            SocketFrames.write(owner, AckFrame.ok(message.messageId()));
        }
        for (Socket old : oldSessions) {
            assertThat(old.isClosed() || old.getInputStream().available() == 0)
                    .as("an old connection received nothing more").isTrue();
        }
    }

    private static MessageFrame nextMessage(Socket device) throws Exception {
        while (true) {
            Frame frame = SocketFrames.read(device);
            if (frame instanceof MessageFrame message) {
                return message;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
