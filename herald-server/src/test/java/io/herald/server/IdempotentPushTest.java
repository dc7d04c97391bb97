package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on a standalone node (H2 file store): concurrent retries of one push store it once, and
 * the key is still answered after a restart. Counted through the offline device's {@code pendingMessages}.
 */
class IdempotentPushTest extends StandaloneNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUSH = "{\"to\":\"idem-1\",\"payload\":\"once\",\"qos\":1}";

    @Test
    void concurrentRetriesPushOnceAndTheKeySurvivesARestart() throws Exception {
        herald.register("idem-1");
        int retries = 8;
        ExecutorService pool = Executors.newFixedThreadPool(retries);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < retries; i++) {
                sent.add(pool.submit(() -> {
                    start.await();
                    return herald.push(PUSH, "Idempotency-Key", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
                }));
            }
            start.countDown();
            for (Future<HttpResponse<String>> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        List<HttpResponse<String>> accepted = answers.stream().filter(a -> a.statusCode() == 202).toList();
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isIn(202, 409));
        assertThat(accepted).isNotEmpty();
        String messageId = JSON.readTree(accepted.get(0).body()).get("messageId").asText();
        assertThat(accepted).allSatisfy(a -> assertThat(JSON.readTree(a.body()).get("messageId").asText())
                .isEqualTo(messageId));
        assertThat(pending("idem-1")).isEqualTo(1);

        herald.close();
        herald = StandaloneFixture.onPorts(dataDir, 0, 0);
        HttpResponse<String> afterRestart = herald.push(PUSH, "Idempotency-Key",
                "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        assertThat(afterRestart.statusCode()).isEqualTo(202);
        assertThat(afterRestart.headers().firstValue("idempotent-replayed")).contains("true");
        assertThat(JSON.readTree(afterRestart.body()).get("messageId").asText()).isEqualTo(messageId);
        assertThat(pending("idem-1")).isEqualTo(1);

        assertThat(herald.push(PUSH, "Idempotency-Key", "another-key").statusCode()).isEqualTo(202);
        assertThat(pending("idem-1")).isEqualTo(2);
    }

    private int pending(String clientId) throws Exception {
        return JSON.readTree(herald.get("/api/v1/devices/" + clientId).body()).get("pendingMessages").asInt();
    }
}
