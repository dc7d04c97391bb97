package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.session.SessionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 9: {@code GET /api/v1/devices} lists devices by id prefix, tag and online state, a page at a time. */
class DeviceListApiTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void needsTheApiKey() {
        assertThat(api.get("/api/v1/devices").status()).isEqualTo(401);
    }

    @Test
    void listsAPrefixInIdOrderWithSessionFieldsForOnlineDevices() {
        List.of("ls-b", "ls-a", "ls_x", "lsa", "ls-c").forEach(id -> api.register(id, "secret-123"));
        api.sessions.connect(new SessionInfo("ls-b", "s-b", TestApi.NOW, "websocket", "10.0.0.2:9", "gw-2"));

        JsonNode json = list("prefix=ls-");

        assertThat(ids(json)).containsExactly("ls-a", "ls-b", "ls-c");
        assertThat(json.has("nextCursor")).as("the listing is complete").isFalse();
        JsonNode offline = json.get("devices").get(0);
        assertThat(offline.get("online").asBoolean()).isFalse();
        assertThat(offline.get("registeredAt").asText()).isEqualTo(TestApi.NOW.toString());
        assertThat(offline.has("sessionId")).as("no session fields while offline").isFalse();
        JsonNode online = json.get("devices").get(1);
        assertThat(online.get("online").asBoolean()).isTrue();
        assertThat(online.get("sessionId").asText()).isEqualTo("s-b");
        assertThat(online.get("transport").asText()).isEqualTo("websocket");
        assertThat(online.get("gateway").asText()).isEqualTo("gw-2");
        assertThat(online.get("connectedAt").asText()).isEqualTo(TestApi.NOW.toString());
        assertThat(ids(list("prefix=ls_"))).as("'_' is no wildcard").containsExactly("ls_x");
    }

    @Test
    void pagesWithAnOpaqueCursorUntilTheEnd() {
        List<String> registered = IntStream.range(0, 25).mapToObj(i -> String.format("pg-%02d", i)).toList();
        registered.forEach(id -> api.register(id, "secret-123"));

        List<String> seen = new ArrayList<>();
        String query = "prefix=pg-&limit=10";
        int pages = 0;
        JsonNode page;
        do {
            page = list(query);
            seen.addAll(ids(page));
            pages++;
            query = "prefix=pg-&limit=10&cursor=" + (page.has("nextCursor") ? page.get("nextCursor").asText() : "");
        } while (page.has("nextCursor"));

        assertThat(seen).containsExactlyElementsOf(registered);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void theOnlineFilterFillsItsPagesAcrossBatches() {
        // 400 devices, every 50th online: a page of 3 online devices needs more than one batch of the store.
        List<String> online = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String id = String.format("on-%03d", i);
            api.register(id, "secret-123");
            if (i % 50 == 7) {
                api.sessions.connect(new SessionInfo(id, "s-" + i, TestApi.NOW, "tcp", "10.0.0.1:1", "gw-1"));
                online.add(id);
            }
        }

        JsonNode first = list("prefix=on-&online=true&limit=3");
        assertThat(ids(first)).containsExactlyElementsOf(online.subList(0, 3));
        JsonNode rest = list("prefix=on-&online=true&limit=10&cursor=" + first.get("nextCursor").asText());
        assertThat(ids(rest)).containsExactlyElementsOf(online.subList(3, online.size()));
        assertThat(rest.has("nextCursor")).isFalse();

        JsonNode offline = list("prefix=on-&online=false&limit=1000");
        assertThat(ids(offline)).hasSize(400 - online.size()).doesNotContainAnyElementsOf(online);
    }

    @Test
    void aFilterBoundsTheWorkOfOneRequest() {
        int count = DeviceListRoutes.MAX_SCANNED + 200;
        for (int i = 0; i < count; i++) {
            api.register(String.format("qt-%05d", i), "secret-123");
        }
        String last = String.format("qt-%05d", count - 1);
        api.sessions.connect(new SessionInfo(last, "s-last", TestApi.NOW, "tcp", "10.0.0.1:1", "gw-1"));

        JsonNode first = list("prefix=qt-&online=true");
        assertThat(ids(first)).as("nothing online among the first " + DeviceListRoutes.MAX_SCANNED).isEmpty();
        JsonNode second = list("prefix=qt-&online=true&cursor=" + first.get("nextCursor").asText());
        assertThat(ids(second)).containsExactly(last);
    }

    @Test
    void aTagListsItsGroupInIdOrderAndCombinesWithPrefixOnlineAndPaging() {
        for (int i = 0; i < 30; i++) {
            String id = String.format("tg-%02d", i);
            api.register(id, "secret-123");
            api.tags.replace(id, new TreeSet<>(i % 3 == 0 ? Set.of("hall", "floor-1") : Set.of("floor-1")));
        }
        api.register("tx-01", "secret-123");
        api.tags.replace("tx-01", new TreeSet<>(Set.of("hall")));
        api.sessions.connect(new SessionInfo("tg-06", "s-6", TestApi.NOW, "tcp", "10.0.0.1:1", "gw-1"));
        List<String> hall = IntStream.range(0, 30).filter(i -> i % 3 == 0).mapToObj(i -> String.format("tg-%02d", i))
                .toList();

        JsonNode first = list("tag=hall&prefix=tg-&limit=4");
        assertThat(ids(first)).containsExactlyElementsOf(hall.subList(0, 4));
        assertThat(first.get("devices").get(0).get("tags").toString()).isEqualTo("[\"floor-1\",\"hall\"]");
        JsonNode rest = list("tag=hall&prefix=tg-&limit=10&cursor=" + first.get("nextCursor").asText());
        assertThat(ids(rest)).containsExactlyElementsOf(hall.subList(4, hall.size()));
        assertThat(rest.has("nextCursor")).isFalse();

        assertThat(ids(list("tag=hall&limit=1000"))).endsWith("tx-01").contains("tg-00").hasSize(hall.size() + 1);
        assertThat(ids(list("tag=hall&online=true"))).containsExactly("tg-06");
        assertThat(ids(list("tag=Hall"))).as("tags are case-sensitive").isEmpty();
        assertThat(ids(list("tag=floor-1&prefix=tx-"))).isEmpty();
    }

    @Test
    void refusesAnInvalidTag() {
        for (String query : List.of("tag=", "tag=a%2Fb", "tag=" + "t".repeat(65))) {
            TestApi.Reply reply = api.get("/api/v1/devices?" + query, TestApi.apiKey());
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.errorCode()).as(query).isEqualTo("invalid_tag");
        }
    }

    @Test
    void refusesBadParameters() {
        for (String query : List.of("limit=0", "limit=1001", "limit=x", "online=yes", "prefix=a%2Fb",
                "prefix=" + "a".repeat(129), "cursor=***", "cursor=Lw")) {
            TestApi.Reply reply = api.get("/api/v1/devices?" + query, TestApi.apiKey());
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.errorCode()).as(query).isEqualTo("invalid_request");
        }
    }

    private static JsonNode list(String query) {
        TestApi.Reply reply = api.get("/api/v1/devices?" + query, TestApi.apiKey());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("devices").forEach(device -> ids.add(device.get("clientId").asText()));
        return ids;
    }
}
