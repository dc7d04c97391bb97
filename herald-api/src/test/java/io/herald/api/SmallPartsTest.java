package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The helpers that are easier to pin down directly than through HTTP. */
class SmallPartsTest {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void requestHostDropsPortAndIpv6Brackets() {
        assertThat(RequestHosts.hostOf("api.example.com:8080")).isEqualTo("api.example.com");
        assertThat(RequestHosts.hostOf("api.example.com")).isEqualTo("api.example.com");
        assertThat(RequestHosts.hostOf("[2001:db8::1]:8080")).isEqualTo("2001:db8::1");
        assertThat(RequestHosts.hostOf("[::1]")).isEqualTo("::1");
        assertThat(RequestHosts.hostOf("10.0.0.5:80")).isEqualTo("10.0.0.5");
        assertThat(RequestHosts.hostOf(null)).isNull();
        assertThat(RequestHosts.hostOf("")).isNull();
        assertThat(RequestHosts.hostOf(":80")).isNull();
    }

    @Test
    void logScopeSetsAndRemovesKeys() {
        String seen = LogScope.call("t-1", "c-1", () -> MDC.get("traceId") + "/" + MDC.get("clientId"));

        assertThat(seen).isEqualTo("t-1/c-1");
        assertThat(MDC.get("traceId")).isNull();
        assertThat(MDC.get("clientId")).isNull();
    }

    @Test
    void logScopeRestoresWhatWasThereAndSkipsNulls() {
        MDC.put("traceId", "outer");
        MDC.put("clientId", "outer-client");

        String seen = LogScope.call("inner", null, () -> MDC.get("traceId") + "/" + MDC.get("clientId"));

        assertThat(seen).isEqualTo("inner/outer-client");
        assertThat(MDC.get("traceId")).isEqualTo("outer");
        assertThat(MDC.get("clientId")).isEqualTo("outer-client");
    }

    @Test
    void logScopeCleansUpWhenTheBodyThrows() {
        try {
            LogScope.call("t-2", "c-2", () -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the point is what is left in the MDC
        }

        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void apiKeyAuthorizerAcceptsOnlyTheKey() {
        ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer("the-key");

        assertThat(authorizer.isAuthorized("Bearer the-key")).isTrue();
        assertThat(authorizer.isAuthorized("BEARER the-key")).isTrue();
        assertThat(authorizer.isAuthorized("Bearer  the-key ")).isTrue();
        assertThat(authorizer.isAuthorized("Bearer the-key2")).isFalse();
        assertThat(authorizer.isAuthorized("Bearer the-ke")).isFalse();
        assertThat(authorizer.isAuthorized("Bearer ")).isFalse();
        assertThat(authorizer.isAuthorized("the-key")).isFalse();
        assertThat(authorizer.isAuthorized(null)).isFalse();
    }

    @Test
    void messageLimitParsing() {
        assertThat(DeviceAdminRoutes.limit(null)).isEqualTo(50);
        assertThat(DeviceAdminRoutes.limit("1")).isEqualTo(1);
        assertThat(DeviceAdminRoutes.limit("1000")).isEqualTo(1000);
    }
}
