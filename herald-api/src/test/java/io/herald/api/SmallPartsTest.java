package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
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
    void adminAuthorizerAcceptsOnlyTheKey() {
        AdminAuthorizer authorizer = new AdminAuthorizer("the-key", new ConsoleSessions(Clock.systemUTC()),
                new ConsoleCookie(false));

        assertThat(authorizer.hasApiKey("Bearer the-key")).isTrue();
        assertThat(authorizer.hasApiKey("BEARER the-key")).isTrue();
        assertThat(authorizer.hasApiKey("Bearer  the-key ")).isTrue();
        assertThat(authorizer.hasApiKey("Bearer the-key2")).isFalse();
        assertThat(authorizer.hasApiKey("Bearer the-ke")).isFalse();
        assertThat(authorizer.hasApiKey("Bearer ")).isFalse();
        assertThat(authorizer.hasApiKey("the-key")).isFalse();
        assertThat(authorizer.hasApiKey(null)).isFalse();
        assertThat(authorizer.isApiKey("the-key")).isTrue();
        assertThat(authorizer.isApiKey("the-key ")).isFalse();
        assertThat(authorizer.isApiKey(null)).isFalse();
    }

    @Test
    void messageLimitParsing() {
        assertThat(DeviceAdminRoutes.limit(null)).isEqualTo(50);
        assertThat(DeviceAdminRoutes.limit("1")).isEqualTo(1);
        assertThat(DeviceAdminRoutes.limit("1000")).isEqualTo(1000);
    }

    /** Agrees with the JDK's strict decoder on every 1- and 2-byte input and on every 3- and 4-byte lead. */
    @Test
    void utf8CheckAgreesWithTheStrictJdkDecoder() {
        for (int a = 0; a < 256; a++) {
            assertAgrees(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                assertAgrees(new byte[] {(byte) a, (byte) b});
                assertAgrees(new byte[] {(byte) a, (byte) b, (byte) 0x80});
                assertAgrees(new byte[] {(byte) a, (byte) b, (byte) 0xBF, (byte) 0x80});
                assertAgrees(new byte[] {'{', (byte) a, (byte) b, (byte) 0x41, '}'});
            }
        }
        assertAgrees(new byte[0]);
        assertThat(Texts.isUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF})).as("overlong /").isFalse();
        assertThat(Texts.isUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).as("surrogate").isFalse();
        assertThat(Texts.isUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).isFalse();
        assertThat(Texts.isUtf8("héllo 😀 €".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
    }

    private static void assertAgrees(byte[] bytes) {
        assertThat(Texts.isUtf8(bytes)).as(java.util.HexFormat.of().formatHex(bytes))
                .isEqualTo(Texts.decodeUtf8(bytes) != null);
    }

    /** The single push's fixed writer writes what the mapper writes, with and without the unknown ids. */
    @Test
    void pushAnswerWriterWritesWhatTheMapperWrites() {
        for (PushSender.PushResponse response : java.util.List.of(
                new PushSender.PushResponse("18446744073709551615", "t\"1\\", 1, 2, 3, null, null),
                new PushSender.PushResponse("7", "abc", 0, 0, 1, java.util.List.of("e", "f\u00e9"), 2),
                new PushSender.PushResponse("7", "abc", 0, 0, 0, java.util.List.of(), 0))) {
            assertThat(new String(PushAnswerWriter.bytes(response), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(Json.bytes(response), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
