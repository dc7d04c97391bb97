package io.herald.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's mosquitto_sub and mosquitto_pub (package mosquitto-clients, installed by scripts/test-setup.sh) against the
 * gateway: the command-line tools people try a broker with first.
 */
class MosquittoClientsTest {
    private static final Path SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final Path PUB = Path.of("/usr/bin/mosquitto_pub");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static MqttGateway gateway;

    @BeforeAll
    static void start() throws InterruptedException {
        if (!Files.isExecutable(SUB) || !Files.isExecutable(PUB)) {
            throw new IllegalStateException(SUB + " and " + PUB + " are not installed (apt-get install "
                    + "mosquitto-clients; scripts/test-setup.sh does it)");
        }
        gateway = new MqttGateway();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A finished run of a command: its exit code and what it printed. */
    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).start();
    }

    private static Run finish(Process process) throws Exception {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("did not finish within " + WAIT + ": " + process.info().commandLine().orElse(""));
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static List<String> client(Path tool, String version, String clientId, String password, String... more) {
        List<String> command = new ArrayList<>(List.of(tool.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(gateway.gateway.mqttPort()), "-V", version, "-i", clientId, "-u", clientId, "-P",
                password));
        command.addAll(List.of(more));
        return command;
    }

    @Test
    void mosquittoSubReceivesPushes() throws Exception {
        String token = gateway.register("mosq-1");
        Process sub = start(client(SUB, "mqttv311", "mosq-1", token, "-t", "devices/mosq-1/messages", "-q", "1",
                "-C", "2", "-v"));
        try {
            await().atMost(WAIT).until(() -> gateway.gateway.sessions().find("mosq-1").isPresent());
            gateway.push("mosq-1", "hello mosquitto", Qos.AT_LEAST_ONCE);
            gateway.push("mosq-1", "and again", Qos.AT_MOST_ONCE);

            Run run = finish(sub);
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout().lines()).containsExactly("devices/mosq-1/messages hello mosquitto",
                    "devices/mosq-1/messages and again");
        } finally {
            sub.destroyForcibly();
        }
    }

    @Test
    void mosquittoPubPublishesUpstreamWithTheDeviceSecret() throws Exception {
        gateway.register("mosq-2");

        Run run = finish(start(client(PUB, "mqttv5", "mosq-2", MqttGateway.SECRET, "-t", "devices/mosq-2/up/json",
                "-m", "{\"door\":\"open\"}", "-q", "1")));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(gateway.archived()).anySatisfy(message -> {
            assertThat(message.clientId()).isEqualTo("mosq-2");
            assertThat(message.contentType()).isEqualTo(ContentType.JSON);
            assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"door\":\"open\"}");
        });
    }

    @Test
    void aWrongPasswordIsRefusedAsSuch() throws Exception {
        gateway.register("mosq-3");

        Run run = finish(start(client(PUB, "mqttv311", "mosq-3", "not-the-secret", "-t", "devices/mosq-3/up/text",
                "-m", "x", "-q", "1")));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).containsIgnoringCase("bad user name or password");
    }

    @Test
    void aWildcardSubscriptionIsDenied() throws Exception {
        String token = gateway.register("mosq-4");

        Run run = finish(start(client(SUB, "mqttv5", "mosq-4", token, "-t", "devices/#", "-C", "1")));

        assertThat(run.stderr()).containsIgnoringCase("all subscription requests were denied");
    }
}
