package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.ClientIds;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.push.PushTargets;
import io.herald.protocol.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every client id that registration accepts works on every path that names a device: GET the device, GET its
 * messages, DELETE its session, push to it, DELETE it. Ids are drawn from the whole alphabet with dots and the
 * URL-special {@code : @} made frequent, so {@code .}, {@code ..}, {@code ...} and the like come up; an id that
 * registration refuses must be refused with 400, never half-accepted. The id goes into the path as it is, the way
 * an operator types it.
 */
class ClientIdRoutesPropertyTest {
    private static TestApi api;

    @BeforeContainer
    static void start() {
        api = TestApi.start(settings -> settings.withLimits(ApiLimits.OFF));
    }

    @AfterContainer
    static void stop() {
        api.close();
    }

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<Character> dotHeavy = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of('.')),
                Tuple.of(2, Arbitraries.of(':', '@', '-', '_')),
                Tuple.of(2, Arbitraries.chars().alpha().numeric()));
        return dotHeavy.list().ofMinSize(1).ofMaxSize(5)
                .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
    }

    @Property(tries = 150)
    void everyRegisteredIdWorksOnEveryAdminRoute(@ForAll("ids") String clientId) {
        checkEveryRoute(clientId);
    }

    @Example
    void theIdsTheReviewNamed() {
        for (String clientId : List.of(".", "..", "...", ":", "@", "a..b", ".well-known", "a:b@c", "..a", "a..")) {
            checkEveryRoute(clientId);
        }
    }

    private static void checkEveryRoute(String clientId) {
        TestApi.Reply registered = api.post("/api/v1/devices",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"secret-123\"}");
        if (!ClientIds.isValid(clientId)) {
            assertThat(registered.status()).as("registration of %s", clientId).isEqualTo(400);
            assertThat(registered.errorCode()).isEqualTo("invalid_client_id");
            return;
        }
        assertThat(registered.status()).as("registration of %s: %s", clientId, registered.body()).isIn(200, 201);
        // A fresh message id per try: a try may register an id an earlier try deleted, and the archive keys rows on
        // (client id, message id) across registrations (docs/reliability.md, deleting a device).
        api.archive.append(List.of(new UpstreamMessage(clientId,
                api.deviceStore.find(clientId).orElseThrow().generation(), System.nanoTime(), ContentType.TEXT,
                "hi".getBytes(StandardCharsets.UTF_8), null, 1, 2)));
        String path = "/api/v1/devices/" + clientId;

        TestApi.Reply device = api.get(path, TestApi.apiKey());
        assertThat(device.status()).as("GET %s: %s", path, device.body()).isEqualTo(200);
        assertThat(device.json().get("clientId").asText()).isEqualTo(clientId);

        TestApi.Reply messages = api.get(path + "/messages", TestApi.apiKey());
        assertThat(messages.status()).as("GET %s/messages: %s", path, messages.body()).isEqualTo(200);
        assertThat(messages.json().get("clientId").asText()).isEqualTo(clientId);
        assertThat(messages.json().get("messages")).isNotEmpty();

        TestApi.Reply kick = api.delete(path + "/session", TestApi.apiKey());
        assertThat(kick.status()).as("DELETE %s/session: %s", path, kick.body()).isEqualTo(200);
        assertThat(api.sessions.kicks.get(api.sessions.kicks.size() - 1).clientId()).isEqualTo(clientId);

        TestApi.Reply push = api.postWithKey("/api/v1/push", "{\"to\":\"" + clientId + "\",\"payload\":\"x\"}");
        assertThat(push.status()).as("push to %s: %s", clientId, push.body()).isEqualTo(202);
        assertThat(((PushTargets.Devices) api.pushService.last().targets()).clientIds()).containsExactly(clientId);

        TestApi.Reply deleted = api.delete(path, TestApi.apiKey());
        assertThat(deleted.status()).as("DELETE %s: %s", path, deleted.body()).isEqualTo(204);
        assertThat(api.deviceService.find(clientId)).isEmpty();
    }
}
