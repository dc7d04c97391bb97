package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console end to end, in a real browser: a standalone node in its own JVM, a device connected through the Java
 * SDK, and headless Chromium (Debian's {@code chromium}) driven by playwright-core from herald-console's
 * {@code e2e/console.e2e.mjs}. The script signs in (a wrong key first), reads the overview, finds the device, pushes
 * to it and kicks it from the device's page; at those two points it waits while this test checks the device saw
 * it. It also checks the cookie (HttpOnly, SameSite=Strict, unreadable by scripts) and that a request without the
 * CSRF token is refused. Screenshots of every page go to {@code target/console-screenshots} (docs/console.md shows
 * them).
 */
class ConsoleBrowserTest {
    private static final String API_KEY = "console-test-api-key-7d2e";
    private static final String CLIENT_PREFIX = "console-device";
    private static final String CLIENT_ID = CLIENT_PREFIX + "-1";
    /** The device list shows 25 a page: these and the SDK's device make two pages. */
    private static final int OFFLINE_DEVICES = 30;
    private static final Path CONSOLE = Path.of("..", "herald-console").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    @TempDir
    Path home;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void signInFindPushKickAndSignOutInChromium() throws Exception {
        assertThat(CONSOLE.resolve("node_modules/playwright-core")).as("herald-console's npm ci (Maven build)")
                .isDirectory();
        RecordingListener device = new RecordingListener();
        try (ClientResources resources = ClientResources.create();
             StandaloneProcess server = StandaloneProcess.start(home, API_KEY);
             HeraldClient client = HeraldClient.create(resources, server.deviceOptions(CLIENT_ID), device)) {
            client.start().get(10, TimeUnit.SECONDS);
            client.sendText("21.5C").get(10, TimeUnit.SECONDS); // an upstream message for the device's page
            for (int i = 1; i <= OFFLINE_DEVICES; i++) { // more than a page of the device list, to page through
                HttpResponse<String> registered = HTTP.send(server.post("/api/v1/devices", String.format(
                        "{\"clientId\":\"%s-p%02d\",\"secret\":\"%s\"}", CLIENT_PREFIX, i,
                        StandaloneProcess.DEVICE_SECRET), true), HttpResponse.BodyHandlers.ofString());
                assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            }

            Path errors = home.resolve("console.e2e.stderr");
            ProcessBuilder script = new ProcessBuilder("node", CONSOLE.resolve("e2e/console.e2e.mjs").toString())
                    .directory(CONSOLE.toFile())
                    .redirectError(errors.toFile());
            script.environment().put("CONSOLE_URL", server.url(""));
            script.environment().put("API_KEY", API_KEY);
            script.environment().put("CLIENT_ID", CLIENT_ID);
            script.environment().put("CLIENT_PREFIX", CLIENT_PREFIX);
            script.environment().put("DEVICES", Integer.toString(OFFLINE_DEVICES + 1));
            script.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
            Process browser = script.start();
            List<String> steps = new ArrayList<>();
            Traffic traffic = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8));
                 Writer in = browser.outputWriter(StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null) {
                    steps.add(line);
                    if (traffic != null) { // the script has seen it on the charts: its next line says so
                        Traffic seen = traffic;
                        traffic = null;
                        seen.stop();
                    }
                    if (line.equals("WAIT overview traffic")) {
                        traffic = Traffic.start(server, client);
                        answer(in, "GO");
                    } else if (line.startsWith("WAIT pushed ")) {
                        String payload = line.substring("WAIT pushed ".length());
                        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                                assertThat(device.texts()).contains(payload));
                        answer(in, "GO");
                    } else if (line.equals("WAIT kicked " + CLIENT_ID)) {
                        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                                assertThat(device.kicks).isNotEmpty());
                        answer(in, "GO");
                    } else if (line.startsWith("WAIT ")) {
                        answer(in, "unexpected: " + line);
                    }
                }
            } finally {
                if (!browser.waitFor(30, TimeUnit.SECONDS)) {
                    browser.destroyForcibly();
                }
                if (traffic != null) {
                    traffic.stop();
                }
            }
            assertThat(browser.exitValue()).as("the browser script's exit (steps %s; its stderr: %s)", steps,
                    Files.readString(errors)).isZero();
            assertThat(steps).contains("STEP wrong key refused", "STEP paging", "STEP csrf refused", "STEP sign out")
                    .endsWith("DONE");
            assertThat(Files.list(SCREENSHOTS).map(p -> p.getFileName().toString()).toList())
                    .contains("signin.png", "overview.png", "devices.png", "device.png", "device-offline.png");
        }
    }

    /**
     * Pushes and upstream messages, two a second each, until the script has seen them on the overview's charts.
     * They keep going while it waits: a chart shows the rate of the last 5-second sample, and traffic that had
     * already ended could show there only as the small rate of its tail, then as 0.
     */
    private static final class Traffic {
        private static final Duration LONGEST = Duration.ofSeconds(60);
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final CompletableFuture<Void> done;

        private Traffic(StandaloneProcess server, HeraldClient client) {
            done = CompletableFuture.runAsync(() -> run(server, client));
        }

        static Traffic start(StandaloneProcess server, HeraldClient client) {
            return new Traffic(server, client);
        }

        private void run(StandaloneProcess server, HeraldClient client) {
            long deadline = System.nanoTime() + LONGEST.toNanos();
            try {
                for (int i = 0; !stopped.get() && System.nanoTime() < deadline; i++) {
                    HttpResponse<String> push = HTTP.send(server.post("/api/v1/push",
                            "{\"to\":\"" + CLIENT_ID + "\",\"payload\":\"reading " + i + "\"}", true),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(push.statusCode()).as(push.body()).isEqualTo(202);
                    client.sendText("upstream " + i).get(10, TimeUnit.SECONDS);
                    Thread.sleep(500);
                }
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }

        /** Stops it; a push or upstream message it could not make fails the test. */
        void stop() throws Exception {
            stopped.set(true);
            done.get(20, TimeUnit.SECONDS);
        }
    }

    private static void answer(Writer in, String text) throws IOException {
        in.write(text + "\n");
        in.flush();
    }
}
