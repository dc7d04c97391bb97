package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.ApiSettings;
import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.Transport;
import io.herald.gateway.GatewaySettings;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.Frame;
import io.herald.server.standalone.StandaloneNode;
import io.herald.store.jdbc.JdbcSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets never reach the log (issue 5, item 7). A standalone node, on an H2 database with a user and a password,
 * goes through registration, logins (good and bad), SDK devices over TCP and WebSocket, a push, a push and an admin
 * call with a wrong API key, and a device that presents a forged token, while every logger of the JVM (the
 * node's, the SDK's, Armeria, Netty, HikariCP, Flyway, H2) logs at TRACE into a list. None of the API key, the
 * wrong key, the device secrets, the wrong secret, any token, the forged token or the database password may
 * appear in a message, an exception, a stack trace or the MDC; nor may anything shaped like one of the node's
 * tokens (43 Base64url characters), which covers the tokens the SDK obtained for itself.
 */
class SecretsNotLoggedTest {
    private static final String API_KEY = "api-key-Qm9vc3Qtc2VjcmV0";
    private static final String WRONG_API_KEY = "api-key-V3JvbmcgZ3Vlc3M";
    private static final String SECRET_1 = "device-secret-TWVyY3VyeQ";
    private static final String SECRET_2 = "device-secret-VmVudXMtMg";
    private static final String WRONG_SECRET = "device-secret-RWFydGgtMw";
    private static final String FORGED_TOKEN = "forged-token-TWFycy00-000000000000000000000";
    private static final String DB_PASSWORD = "db-password-SnVwaXRlcg";
    /** The shape of a token the node issues: 32 random bytes in Base64url without padding. */
    private static final Pattern TOKEN_SHAPE = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final List<Appender<ILoggingEvent>> consoleAppenders = new ArrayList<>();
    private final Map<String, Level> levels = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> secrets = new LinkedHashSet<>(List.of(API_KEY, WRONG_API_KEY, SECRET_1, SECRET_2,
            WRONG_SECRET, FORGED_TOKEN, DB_PASSWORD));

    @BeforeEach
    void captureEverything() {
        // Herald at TRACE (the most HERALD_LOG_LEVEL allows), every library at DEBUG (the shipped logback.xml keeps
        // them at WARN), into the list only: the console would drown.
        LoggerContext context = root.getLoggerContext();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger.getName(), logger.getLevel());
                if (logger != root) {
                    logger.setLevel(null);
                }
            }
        }
        root.setLevel(Level.DEBUG);
        context.getLogger("io.herald").setLevel(Level.TRACE);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            consoleAppenders.add(it.next());
        }
        consoleAppenders.forEach(root::detachAppender);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void restoreLogging() {
        root.detachAppender(captured);
        consoleAppenders.forEach(root::addAppender);
        LoggerContext context = root.getLoggerContext();
        context.getLogger("io.herald").setLevel(null);
        levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    @Test
    void noSecretReachesTheLog() throws Exception {
        JdbcSettings h2 = JdbcSettings.h2File(dataDir);
        JdbcSettings database = JdbcSettings.of(h2.jdbcUrl(), "herald_owner", DB_PASSWORD);
        GatewaySettings gateway = GatewaySettings.defaults("secrets").withPorts("127.0.0.1", 0, 0);
        ApiSettings api = ApiSettings.of(API_KEY).withPort(0).withBindAddress("127.0.0.1");
        StandaloneNode node = StandaloneNode.start(new StandaloneNode.Settings(gateway, api, database, null,
                Duration.ofHours(1), 1000, 1, Map.of()));
        String apiUrl = "http://127.0.0.1:" + node.httpPort();
        try (ClientResources resources = ClientResources.create()) {
            // registration and login over HTTP: the token comes back in the body
            assertThat(post(apiUrl, "/api/v1/devices", credentials("plain-1", SECRET_1)).statusCode()).isEqualTo(201);
            HttpResponse<String> login = post(apiUrl, "/api/v1/login", credentials("plain-1", SECRET_1));
            assertThat(login.statusCode()).isEqualTo(200);
            secrets.add(JSON.readTree(login.body()).get("token").asText());
            assertThat(post(apiUrl, "/api/v1/login", credentials("plain-1", WRONG_SECRET)).statusCode())
                    .isEqualTo(401);
            // SDK devices: register, log in, connect, authenticate; one over TCP, one over WebSocket
            RecordingListener tcpDevice = new RecordingListener();
            RecordingListener wsDevice = new RecordingListener();
            HeraldClient tcp = sdk(resources, apiUrl, "sdk-tcp", Transport.TCP, tcpDevice);
            HeraldClient ws = sdk(resources, apiUrl, "sdk-ws", Transport.WEBSOCKET, wsDevice);
            // pushes with the key, and with a wrong one
            assertThat(post(apiUrl, "/api/v1/push", "{\"to\":[\"sdk-tcp\",\"sdk-ws\"],\"payload\":\"hello\"}",
                    "Authorization", "Bearer " + API_KEY).statusCode()).isEqualTo(202);
            await().atMost(WAIT)
                    .until(() -> tcpDevice.messages.size() == 1 && wsDevice.messages.size() == 1);
            tcp.sendText("reading 21.5").get(10, TimeUnit.SECONDS);
            assertThat(post(apiUrl, "/api/v1/push", "{\"to\":\"sdk-tcp\",\"payload\":\"x\"}",
                    "Authorization", "Bearer " + WRONG_API_KEY).statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/devices/sdk-tcp"))
                    .header("Authorization", "Bearer " + WRONG_API_KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            // a device that presents a token nobody issued
            assertThat(authenticateWith(node.tcpPort(), FORGED_TOKEN)).isInstanceOf(AuthFailFrame.class);
            tcp.close();
            ws.close();
        } finally {
            node.close();
        }

        List<String> lines = captured.list.stream().map(SecretsNotLoggedTest::everythingIn).toList();
        assertThat(lines).as("log lines captured").hasSizeGreaterThan(20);
        assertThat(String.join("\n", lines)).as("the capture sees the node, the SDK and the libraries")
                .contains("device registered", "logged in", "HikariPool", "Flyway");
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).as("a log line gives away a secret").doesNotContain(secret);
            }
            assertThat(tokenShaped(line)).as("a log line holds a token-shaped word: %s", line).isEmpty();
        }
    }

    private HeraldClient sdk(ClientResources resources, String apiUrl, String clientId, Transport transport,
                             RecordingListener listener) throws Exception {
        HeraldClient client = HeraldClient.create(resources, HeraldClientOptions.builder().apiUrl(apiUrl)
                .clientId(clientId).secret(SECRET_2).registerIfMissing(true).transport(transport).build(), listener);
        client.start().get(10, TimeUnit.SECONDS);
        return client;
    }

    private HttpResponse<String> post(String apiUrl, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String credentials(String clientId, String secret) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + secret + "\"}";
    }

    /** Sends AUTH with {@code token} on a raw TCP connection and returns the gateway's answer. */
    private static Frame authenticateWith(int port, String token) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            ByteBuf auth = Unpooled.buffer();
            FrameCodec.encode(new AuthFrame(token), auth);
            socket.getOutputStream().write(ByteBufUtil.getBytes(auth));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = in.readNBytes(8);
            int length = (header[4] & 0xFF) << 24 | (header[5] & 0xFF) << 16 | (header[6] & 0xFF) << 8
                    | header[7] & 0xFF;
            byte[] body = in.readNBytes(length);
            Frame answer = FrameCodec.decodeBody(header[2] & 0xFF, header[3] & 0xFF, Unpooled.wrappedBuffer(body));
            assertThat(((AuthFailFrame) answer).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
            return answer;
        }
    }

    /** Words shaped like a token: 43 Base64url characters, upper and lower case mixed, as random ones are. */
    private static List<String> tokenShaped(String line) {
        return TOKEN_SHAPE.matcher(line).results().map(m -> m.group())
                .filter(word -> !word.equals(word.toUpperCase(Locale.ROOT))
                        && !word.equals(word.toLowerCase(Locale.ROOT)))
                .toList();
    }

    /** The whole text of an event: message, arguments as formatted, MDC, exceptions with their stack traces. */
    private static String everythingIn(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getThreadName())
                .append(' ').append(event.getFormattedMessage()).append(' ').append(event.getMDCPropertyMap());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                text.append("\n\tat ").append(frame.getSTEAsString());
            }
        }
        return text.toString();
    }
}
