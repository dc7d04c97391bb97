package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.server.client.ClientCommand;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI device as the README's quick start uses it: prints pushes as JSON lines, sends stdin lines up. */
class ClientCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void printsReceivedMessagesAsJsonLinesAndSendsStdinLinesUp() throws Exception {
        try (StandaloneFixture herald = new StandaloneFixture(dataDir);
             PipedOutputStream typing = new PipedOutputStream();
             PipedInputStream stdin = new PipedInputStream(typing)) {
            StringWriter stdout = new StringWriter();
            StringWriter stderr = new StringWriter();
            CommandLine command = new CommandLine(new ClientCommand(stdin));
            command.setOut(new PrintWriter(stdout, true)).setErr(new PrintWriter(stderr, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute(
                    "--api", herald.apiUrl(), "--client-id", "cli-1", "--secret", StandaloneFixture.SECRET,
                    "--register"));

            await().atMost(Duration.ofSeconds(15)).until(() ->
                    herald.get("/api/v1/devices/cli-1").statusCode() == 200
                            && JSON.readTree(herald.get("/api/v1/devices/cli-1").body()).get("online").asBoolean());
            herald.push("{\"to\":\"cli-1\",\"payload\":\"hello device\",\"qos\":1}", "X-Trace-Id", "cli-trace");
            await().atMost(Duration.ofSeconds(10)).until(() -> stdout.toString().contains("hello device"));
            JsonNode line = JSON.readTree(stdout.toString().lines().findFirst().orElseThrow());
            assertThat(line.get("payload").asText()).isEqualTo("hello device");
            assertThat(line.get("contentType").asText()).isEqualTo("text");
            assertThat(line.get("traceId").asText()).isEqualTo("cli-trace");
            assertThat(line.has("messageId")).isTrue();

            typing.write("hello server\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(
                    herald.get("/api/v1/devices/cli-1/messages").body()).get("messages").size() == 1);
            assertThat(JSON.readTree(herald.get("/api/v1/devices/cli-1/messages").body())
                    .get("messages").get(0).get("payload").asText()).isEqualTo("hello server");

            typing.close();
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(stdout.toString().lines()).hasSize(1);
            assertThat(stderr.toString()).contains("\"event\":\"connected\"");
        }
    }
}
