package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.ServiceUnavailableException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on the push routes, over a real server: replays, refusals, what is kept and what not. */
class IdempotentPushApiTest {
    private static final String BODY = "{\"to\":\"dev-1\",\"payload\":\"hello\"}";
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void reset() {
        api.pushService.reset();
    }

    private static TestApi.Reply push(String path, String body, String key) {
        return api.postWithKey(path, body, "Idempotency-Key", key);
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndPushesNothing() {
        TestApi.Reply first = push("/api/v1/push", BODY, "order-1001");
        TestApi.Reply retry = push("/api/v1/push", BODY, "order-1001");

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("idempotent-replayed")).isNull();
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("idempotent-replayed")).isEqualTo("true");
        assertThat(retry.contentType()).startsWith("application/json");
        assertThat(api.pushService.calls).hasSize(1);
    }

    @Test
    void anotherKeyOrNoKeyPushesAgain() {
        push("/api/v1/push", BODY, "order-2001");
        push("/api/v1/push", BODY, "order-2002");
        api.postWithKey("/api/v1/push", BODY);

        assertThat(api.pushService.calls).hasSize(3);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndPushesNothing() {
        push("/api/v1/push", BODY, "order-3001");

        TestApi.Reply other = push("/api/v1/push", "{\"to\":\"dev-2\",\"payload\":\"hello\"}", "order-3001");
        TestApi.Reply otherRoute = push("/api/v1/push/batch", "{\"messages\":[" + BODY + "]}", "order-3001");

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(other.errorMessage()).doesNotContain("order-3001");
        assertThat(otherRoute.status()).isEqualTo(422);
        assertThat(api.pushService.calls).hasSize(1);
    }

    @Test
    void theSameKeyWhileTheFirstPushRunsIsAConflictAndPushesNothing() throws Exception {
        api.pushService.delayMillis = message -> 1_500;
        CompletableFuture<TestApi.Reply> first = CompletableFuture.supplyAsync(
                () -> push("/api/v1/push", BODY, "order-4001"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (api.pushService.calls.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        TestApi.Reply second = push("/api/v1/push", BODY, "order-4001");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("idempotency_key_in_use");
        assertThat(second.header("retry-after")).isEqualTo("1");
        assertThat(first.get().status()).isEqualTo(202);
        TestApi.Reply afterwards = push("/api/v1/push", BODY, "order-4001");
        assertThat(afterwards.body()).isEqualTo(first.get().body());
        assertThat(api.pushService.calls).hasSize(1);
    }

    @Test
    void aFailedPushIsNotKeptSoItsRetryPushes() {
        api.pushService.failure = new ServiceUnavailableException("redis is down", null);
        TestApi.Reply failed = push("/api/v1/push", BODY, "order-5001");
        api.pushService.failure = null;
        TestApi.Reply retry = push("/api/v1/push", BODY, "order-5001");

        assertThat(failed.status()).isEqualTo(503);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.header("idempotent-replayed")).isNull();
        assertThat(api.pushService.calls).hasSize(2);
    }

    @Test
    void anInvalidRequestIsRefusedBeforeTheKeyIsTaken() {
        TestApi.Reply invalid = push("/api/v1/push", "{\"to\":\"dev-1\"}", "order-6001");
        TestApi.Reply valid = push("/api/v1/push", BODY, "order-6001");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(valid.status()).isEqualTo(202);
        assertThat(api.pushService.calls).hasSize(1);
    }

    @Test
    void aBatchIsReplayedWhole() {
        String batch = "{\"messages\":[" + BODY + ",{\"to\":\"dev-2\",\"payload\":\"x\"}]}";
        TestApi.Reply first = push("/api/v1/push/batch", batch, "batch-7001");
        TestApi.Reply retry = push("/api/v1/push/batch", batch, "batch-7001");

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("idempotent-replayed")).isEqualTo("true");
        assertThat(api.pushService.calls).hasSize(2);
    }

    @Test
    void aKeyMustBeShortPrintableAsciiWithoutSpaces() {
        for (String bad : new String[] {"", "has space", "x".repeat(256)}) {
            TestApi.Reply reply = push("/api/v1/push", BODY, bad);
            assertThat(reply.status()).as("key '%s'", bad).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("invalid_idempotency_key");
        }
        assertThat(push("/api/v1/push", BODY, "x".repeat(255)).status()).isEqualTo(202);
        assertThat(api.pushService.calls).hasSize(1);
    }
}
