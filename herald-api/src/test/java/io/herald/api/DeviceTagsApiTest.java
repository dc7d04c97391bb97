package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.push.PushTargets;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device tags over a real server: set, shown, bounded, and a push to a tag reaching the tagged devices. */
class DeviceTagsApiTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
        for (String id : List.of("lamp-1", "lamp-2", "lamp-3")) {
            api.register(id, "secret-secret");
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void reset() {
        api.pushService.reset();
        for (String id : List.of("lamp-1", "lamp-2", "lamp-3")) {
            putTags(id, "{\"tags\":[]}");
        }
    }

    private static TestApi.Reply putTags(String clientId, String json) {
        return api.send(api.request("/api/v1/devices/" + clientId + "/tags", TestApi.apiKey())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void tagsAreReplacedSortedAndShownWithTheDevice() {
        TestApi.Reply set = putTags("lamp-1", "{\"tags\":[\"kitchen\",\"floor-2\",\"kitchen\"]}");
        putTags("lamp-1", "{\"tags\":[\"kitchen\",\"floor-2\",\"Kitchen\"]}");

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("tags").toString()).isEqualTo("[\"floor-2\",\"kitchen\"]");
        TestApi.Reply device = api.get("/api/v1/devices/lamp-1", TestApi.apiKey());
        assertThat(device.json().get("tags").toString()).isEqualTo("[\"Kitchen\",\"floor-2\",\"kitchen\"]");
        TestApi.Reply list = api.get("/api/v1/devices?prefix=lamp-", TestApi.apiKey());
        assertThat(list.json().at("/devices/0/tags").size()).isEqualTo(3);
        assertThat(list.json().at("/devices/1/tags").toString()).isEqualTo("[]");
    }

    @Test
    void badTagsAreRefusedAndChangeNothing() {
        putTags("lamp-2", "{\"tags\":[\"garage\"]}");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add("\"t" + i + "\"");
        }
        for (String body : List.of("{\"tags\":[\"no spaces\"]}", "{\"tags\":[\"" + "x".repeat(65) + "\"]}",
                "{\"tags\":[1]}", "{\"tags\":[\"\"]}", "{\"tags\":[" + String.join(",", many) + "]}")) {
            TestApi.Reply reply = putTags("lamp-2", body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.errorCode()).as(body).isEqualTo("invalid_tag");
        }
        assertThat(putTags("lamp-2", "{\"tags\":\"garage\"}").errorCode()).isEqualTo("invalid_request");
        assertThat(putTags("lamp-2", "{}").errorCode()).isEqualTo("invalid_request");
        assertThat(putTags("nobody", "{\"tags\":[\"garage\"]}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/devices/lamp-2", TestApi.apiKey()).json().get("tags").toString())
                .isEqualTo("[\"garage\"]");
    }

    @Test
    void aPushToATagGoesToTheTaggedDevicesThroughThePushService() {
        putTags("lamp-1", "{\"tags\":[\"kitchen\"]}");
        putTags("lamp-3", "{\"tags\":[\"kitchen\",\"garage\"]}");
        double tagPushes = tagPushes();

        TestApi.Reply reply = api.postWithKey("/api/v1/push", "{\"tag\":\"kitchen\",\"payload\":\"off\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().get("online").asInt()).isEqualTo(2);
        assertThat(((PushTargets.Devices) api.pushService.last().targets()).clientIds())
                .containsExactlyInAnyOrder("lamp-1", "lamp-3");
        assertThat(tagPushes()).isEqualTo(tagPushes + 1);
    }

    private static double tagPushes() {
        return api.registry.get("herald.push.requests").tag("kind", "tag").counter().count();
    }

    @Test
    void aPushToATagNobodyCarriesReachesNobody() {
        TestApi.Reply reply = api.postWithKey("/api/v1/push", "{\"tag\":\"attic\",\"payload\":\"off\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().get("online").asInt()).isZero();
        assertThat(reply.json().get("stored").asInt()).isZero();
    }

    @Test
    void aTagInABatchMessageIsResolvedForThatMessage() {
        putTags("lamp-2", "{\"tags\":[\"garage\"]}");

        TestApi.Reply reply = api.postWithKey("/api/v1/push/batch",
                "{\"messages\":[{\"tag\":\"garage\",\"payload\":\"a\"},{\"to\":\"lamp-1\",\"payload\":\"b\"}]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(api.pushService.calls).hasSize(2);
        assertThat(((PushTargets.Devices) api.pushService.calls.get(0).targets()).clientIds())
                .containsExactly("lamp-2");
    }

    @Test
    void aTagExcludesToAndBroadcastAndMustBeValid() {
        for (String body : List.of("{\"tag\":\"kitchen\",\"to\":\"lamp-1\",\"payload\":\"x\"}",
                "{\"tag\":\"kitchen\",\"broadcast\":true,\"payload\":\"x\"}")) {
            TestApi.Reply reply = api.postWithKey("/api/v1/push", body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("invalid_request");
        }
        TestApi.Reply bad = api.postWithKey("/api/v1/push", "{\"tag\":\"not valid\",\"payload\":\"x\"}");
        assertThat(bad.errorCode()).isEqualTo("invalid_tag");
        assertThat(api.pushService.calls).isEmpty();
    }
}
