package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: herald-VERSION.tar.gz unpacked in an empty directory and run with only a
 * Java runtime. A standalone server configured by the shipped config file and HERALD_* variables, and a device
 * (the tarball's own {@code bin/herald client}) that registers, connects and receives a push sent over HTTP.
 */
class TarballIT {
    private static final String API_KEY = "dist-test-key";

    @TempDir
    static Path root;
    private static Installed installed;

    @BeforeAll
    static void unpack() throws Exception {
        Path home = Tarball.unpackInto(root);
        installed = new Installed(home, Files.createDirectories(root.resolve("work")));
    }

    @Test
    void itHoldsTheLauncherTheLibrariesTheExampleConfigAndTheUnits() throws IOException {
        Path home = installed.home();
        assertThat(home.resolve("bin/herald")).isExecutable();
        assertThat(home.resolve("README.md")).content().contains("bin/herald standalone");
        assertThat(home.resolve("MANUAL.md")).content().contains("## HTTP API");
        assertThat(home.resolve("docs/protocol.md")).isRegularFile();
        assertThat(names(home.resolve("lib"))).anyMatch(name -> name.startsWith("herald-server-"))
                .anyMatch(name -> name.startsWith("logback-classic-"))
                .noneMatch(name -> name.startsWith("herald-bench-") || name.startsWith("jmh-core-"));
        assertThat(names(home.resolve("lib/bench"))).anyMatch(name -> name.startsWith("herald-bench-"));
        assertThat(names(home.resolve("conf"))).contains("standalone.properties", "gateway.properties",
                "api.properties", "archiver.properties", "herald.env");
        assertThat(names(home.resolve("deploy/systemd"))).contains("herald-standalone.service",
                "herald-gateway@.service", "herald-api@.service", "herald-archiver.service");
        assertThat(home.resolve("deploy/services")).as("bin/herald-cluster's, not the distribution's").doesNotExist();
    }

    @Test
    void everyUnitsConfigFileIsAnExampleInConf() throws IOException {
        Pattern config = Pattern.compile("--config /etc/herald/(\\S+)");
        for (String unit : names(installed.home().resolve("deploy/systemd"))) {
            Matcher named = config.matcher(Files.readString(installed.home().resolve("deploy/systemd").resolve(unit)));
            assertThat(named.find()).as("%s names its config file", unit).isTrue();
            assertThat(installed.home().resolve("conf").resolve(named.group(1))).as(unit).isRegularFile();
        }
    }

    @Test
    void theLauncherListsEveryRole() throws Exception {
        Installed.Result help = installed.run("--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("standalone", "gateway", "api", "archiver", "client", "bench");
    }

    @Test
    void theBenchRunsFromItsOwnLibraries() throws Exception {
        Installed.Result help = installed.run("bench", "--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("hold");
    }

    @Test
    void standaloneAndADeviceRunFromTheUnpackedTarball() throws Exception {
        int httpPort = Installed.freePort();
        int tcpPort = Installed.freePort();
        Path serverLog = root.resolve("work/standalone.log");
        // The shipped config file says 8080 and 7000: the variables must win over it, the command line over both.
        Map<String, String> env = Map.of("HERALD_HTTP_PORT", Integer.toString(httpPort),
                "HERALD_TCP_PORT", Integer.toString(tcpPort), "HERALD_API_KEY", API_KEY,
                "HERALD_DATA_DIR", "ignored-the-command-line-wins");
        Process server = installed.start(env, serverLog, "standalone",
                "--config", installed.home().resolve("conf/standalone.properties").toString(),
                "--ws-port", "-1", "--data-dir", root.resolve("data").toString());
        Process device = null;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(server.isAlive()).as("standalone is running: %s", Files.readString(serverLog)).isTrue();
                return Files.readString(serverLog).contains("Herald standalone is up");
            });
            assertThat(Files.readString(serverLog))
                    .contains("HTTP http://127.0.0.1:" + httpPort, "device TCP " + tcpPort)
                    .doesNotContain("Generated API key");
            assertThat(root.resolve("data")).isDirectory();
            assertThat(root.resolve("work/ignored-the-command-line-wins")).doesNotExist();

            Path deviceLog = root.resolve("work/device.log");
            device = installed.start(Map.of(), ProcessBuilder.Redirect.PIPE,
                    ProcessBuilder.Redirect.to(deviceLog.toFile()), "client",
                    "--api", "http://127.0.0.1:" + httpPort, "--client-id", "dist-device",
                    "--secret", "s3cret-s3cret", "--register");
            BlockingQueue<String> received = lines(device);
            Process connecting = device;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(connecting.isAlive()).as("device is running: %s", Files.readString(deviceLog)).isTrue();
                return Files.readString(deviceLog).contains("\"event\":\"connected\"");
            });

            HttpResponse<String> push = push(httpPort, "{\"to\":\"dist-device\",\"payload\":\"hello from the tarball\"}");
            assertThat(push.statusCode()).as(push.body()).isEqualTo(202);
            assertThat(push.body()).contains("\"online\":1");

            String message = received.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("the device's message line; its log: %s", Files.readString(deviceLog))
                    .contains("hello from the tarball");

            // End of stdin ends the device cleanly.
            device.getOutputStream().close();
            assertThat(device.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(device.exitValue()).as(Files.readString(deviceLog)).isZero();

            // SIGTERM, as systemd and docker stop it: the node closes, the JVM exits with 128 + 15, which the
            // units count as success (SuccessExitStatus=143).
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("standalone stopped").isTrue();
            assertThat(server.exitValue()).as(Files.readString(serverLog)).isEqualTo(143);
        } finally {
            if (device != null) {
                Installed.stop(device);
            }
            Installed.stop(server);
        }
    }

    private static HttpResponse<String> push(int httpPort, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/push"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The process's stdout lines as they come, read on a daemon thread. */
    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException e) {
                // the process ended
            }
        }, "device-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(path -> path.getFileName().toString()).toList();
        }
    }
}
