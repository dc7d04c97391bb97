package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript SDK (herald-js) in headless Chromium against a real standalone node in its own JVM: login across
 * origins (CORS), WebSocket connection, a QoS 1 push received and acked, upstream sends resolved by their ACK (and
 * rejected by a REJECTED one), the operator's kick (no automatic reconnect), a restart of the node (RECONNECT notice,
 * reconnect, pending upstream resent), a refused origin, and the web chat demo's two pages talking through the chat
 * relay. The browser side is herald-js/test/browser/e2e.mjs (playwright-core driving Debian's chromium); this test
 * owns the node and restarts it when the script asks.
 */
class BrowserSdkTest {
    private static final String API_KEY = "browser-test-api-key";
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("HERALD_CHROMIUM", "/usr/bin/chromium"));

    @TempDir
    Path home;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theSdkWorksInABrowserAgainstARealNode() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium at %s (scripts/test-setup.sh installs Debian's chromium;"
                + " HERALD_CHROMIUM names another)", CHROMIUM).isTrue();
        NpmScript.build(home);
        StandaloneProcess server = null;
        try (NpmScript browser = NpmScript.start("test/browser/e2e.mjs")) {
            String origin = browser.await(30, "ORIGIN ").substring("ORIGIN ".length());
            String[] options = {"--cors-origin", origin, "--handler-setting", "chat-relay=on", "--drain-window", "1s"};
            server = StandaloneProcess.startWithWebSocket(home, API_KEY, 0, 0, options);
            browser.send("SERVER " + server.url("") + " " + API_KEY);
            while (true) {
                String line = browser.await(120, "RESTART", "PASS ", "not ok");
                if (line.equals("RESTART")) {
                    int httpPort = server.httpPort;
                    int wsPort = server.wsPort;
                    server.stop();
                    server = StandaloneProcess.startWithWebSocket(home, API_KEY, httpPort, wsPort, options);
                    browser.send("RESTARTED");
                    continue;
                }
                assertThat(line).as(browser.transcript()).startsWith("PASS ");
                break;
            }
            assertThat(browser.exitCode(30)).as(browser.transcript()).isZero();
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }
}
