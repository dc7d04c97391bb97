package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A push to a tag on a standalone node (H2 file store, SDK clients over TCP): the tagged online devices receive it,
 * the tagged offline one gets it from the store when it connects, an untagged device never sees it.
 */
class TagPushTest extends StandaloneNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aPushToATagReachesItsOnlineDevicesAndIsStoredForItsOfflineOnes() throws Exception {
        RecordingListener kitchen1 = new RecordingListener();
        RecordingListener kitchen2 = new RecordingListener();
        RecordingListener garage = new RecordingListener();
        herald.client("kitchen-1", kitchen1).start().get(10, TimeUnit.SECONDS);
        herald.client("kitchen-2", kitchen2).start().get(10, TimeUnit.SECONDS);
        herald.client("garage-1", garage).start().get(10, TimeUnit.SECONDS);
        herald.register("kitchen-3");
        for (String id : new String[] {"kitchen-1", "kitchen-2", "kitchen-3"}) {
            assertThat(herald.put("/api/v1/devices/" + id + "/tags", "{\"tags\":[\"kitchen\",\"home\"]}")
                    .statusCode()).isEqualTo(200);
        }
        herald.put("/api/v1/devices/garage-1/tags", "{\"tags\":[\"home\"]}");

        JsonNode answer = JSON.readTree(herald.push("{\"tag\":\"kitchen\",\"payload\":\"lights off\",\"qos\":1}")
                .body());

        assertThat(answer.get("online").asInt()).as(answer.toString()).isEqualTo(2);
        assertThat(answer.get("stored").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> kitchen1.texts().contains("lights off")
                && kitchen2.texts().contains("lights off"));
        RecordingListener late = new RecordingListener();
        herald.client("kitchen-3", late).start().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> late.texts().contains("lights off"));
        Thread.sleep(200); // time enough for a wrong delivery to show
        assertThat(garage.messages).isEmpty();
        assertThat(kitchen1.texts()).containsExactly("lights off");
    }
}
