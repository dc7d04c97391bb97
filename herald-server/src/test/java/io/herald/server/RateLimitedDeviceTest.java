package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiSettings;
import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.HeraldListener;
import io.herald.client.SendResult;
import io.herald.gateway.GatewaySettings;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.limit.UpstreamRate;
import io.herald.server.standalone.StandaloneNode;
import io.herald.store.jdbc.JdbcSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK against a gateway that limits its upstream rate: messages over the rate come back as ACK RETRY, the SDK
 * keeps and resends them after a backoff, and in the end every one is stored once, with no lost connection.
 */
class RateLimitedDeviceTest {
    private static final String KEY = "test-api-key-rate";
    private static final int MESSAGES = 20;

    @TempDir
    Path dataDir;

    @Test
    void theSdkGetsEveryMessageThroughARateLimitByResending() throws Exception {
        GatewaySettings gateway = GatewaySettings.defaults("rate").withPorts("127.0.0.1", 0, -1)
                .withAbuseLimits(AbuseLimits.DEFAULTS.withUpstreamRate(new UpstreamRate(20, 5, 0, 0, 0)));
        ApiSettings api = ApiSettings.of(KEY).withPort(0).withBindAddress("127.0.0.1");
        try (StandaloneNode node = StandaloneNode.start(new StandaloneNode.Settings(gateway, api,
                JdbcSettings.h2File(dataDir), null, Duration.ofHours(1), 1000, 1, Map.of()));
             ClientResources resources = ClientResources.create()) {
            String apiUrl = "http://127.0.0.1:" + node.httpPort();
            HeraldClient client = HeraldClient.create(resources, HeraldClientOptions.builder().apiUrl(apiUrl)
                    .clientId("chatty").secret("secret-0123456789").registerIfMissing(true).build(),
                    new HeraldListener() { });
            try {
                client.start().get(10, TimeUnit.SECONDS);
                List<CompletableFuture<SendResult>> sent = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    sent.add(client.sendText("reading " + i));
                }

                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

                assertThat(sent).extracting(CompletableFuture::join)
                        .anySatisfy(result -> assertThat(result.transmissions()).isGreaterThan(1));
                String stored = get(apiUrl + "/api/v1/devices/chatty/messages?limit=100");
                assertThat(Pattern.compile("\"messageId\"").matcher(stored).results().count()).isEqualTo(MESSAGES);
                assertThat(refused(get(apiUrl + "/metrics"))).isGreaterThan(0);
                assertThat(client.isConnected()).as("still connected: a refusal is not an error").isTrue();
            } finally {
                client.close();
            }
        }
    }

    private static double refused(String metrics) {
        Matcher matcher = Pattern.compile(
                "herald_limited_total\\{action=\"refused\",limit=\"upstream_rate\"[^}]*} (\\S+)").matcher(metrics);
        assertThat(matcher.find()).as("the refusal counter in /metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
