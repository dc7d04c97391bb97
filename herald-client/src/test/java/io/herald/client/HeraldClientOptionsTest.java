package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeraldClientOptionsTest {

    private static HeraldClientOptions.Builder valid() {
        return HeraldClientOptions.builder().apiUrl("http://127.0.0.1:8080").clientId("device-1").secret("s3cret");
    }

    @Test
    void defaultsAreThoseDocumented() {
        HeraldClientOptions options = valid().build();

        assertThat(options.transport()).isEqualTo(Transport.TCP);
        assertThat(options.registerIfMissing()).isFalse();
        assertThat(options.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.reconnectMultiplier()).isEqualTo(2.0);
        assertThat(options.reconnectJitter()).isEqualTo(Jitter.FULL);
        assertThat(options.reloginAfterFailures()).isEqualTo(3);
        assertThat(options.maxUnackedMessages()).isEqualTo(10_000);
        assertThat(options.duplicateWindow()).isEqualTo(10_000);
        assertThat(options.connectTimeout()).isEqualTo(HeraldClientOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(options.ackTimeout()).isEqualTo(HeraldClientOptions.DEFAULT_ACK_TIMEOUT);
        assertThat(options.tls()).isEqualTo(TlsMode.AUTO);
        assertThat(options.tlsTrust()).isNull();
        assertThat(options.tlsHostnameVerification()).isTrue();
    }

    @Test
    void aTrustFileIsReadAtBuildAndRefusedByNameWhenItIsNoCertificate(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "not a certificate");

        assertThatThrownBy(() -> valid().tlsTrust(missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsTrust")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> valid().tlsTrust(notPem).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsTrust")
                .hasMessageContaining("certificate");
    }

    @Test
    void toBuilderCopiesEverySetting() {
        HeraldClientOptions original = valid().transport(Transport.WEBSOCKET).reloginAfterFailures(7)
                .reconnectJitter(Jitter.DECORRELATED).build();

        HeraldClientOptions copy = original.toBuilder().clientId("device-2").build();

        assertThat(copy.clientId()).isEqualTo("device-2");
        assertThat(copy).usingRecursiveComparison().ignoringFields("clientId").isEqualTo(original);
    }

    @Test
    void secretNeverAppearsInToString() {
        assertThat(valid().build().toString()).doesNotContain("s3cret").contains("device-1");
    }

    @Test
    void missingOrInvalidSettingsAreNamed() {
        assertInvalid(b -> HeraldClientOptions.builder().clientId("d").secret("s"), "apiUrl is required");
        assertInvalid(b -> b.apiUrl("ftp://host"), "apiUrl must be an absolute http");
        assertInvalid(b -> b.apiUrl("not a url"), "apiUrl is not a valid URL");
        assertInvalid(b -> b.clientId(null), "clientId is required");
        assertInvalid(b -> b.clientId("has space"), "clientId must be 1-128 characters");
        assertInvalid(b -> b.clientId(".."), "clientId must be 1-128 characters");
        assertInvalid(b -> b.clientId("."), "(not \".\" or \"..\")");
        assertInvalid(b -> b.secret(""), "secret is required");
        assertInvalid(b -> b.transport(null), "transport is required");
        assertInvalid(b -> b.connectTimeout(Duration.ZERO), "connectTimeout must be a positive duration");
        assertInvalid(b -> b.reconnectInitialDelay(Duration.ofMinutes(2)),
                "reconnectInitialDelay (PT2M) must not exceed reconnectMaxDelay (PT30S)");
        assertInvalid(b -> b.reconnectMultiplier(0.5), "reconnectMultiplier must be a finite number >= 1.0");
        assertInvalid(b -> b.reconnectMultiplier(Double.NaN), "reconnectMultiplier");
        assertInvalid(b -> b.reloginAfterFailures(0), "reloginAfterFailures must be at least 1");
        assertInvalid(b -> b.maxUnackedMessages(0), "maxUnackedMessages must be at least 1");
        assertInvalid(b -> b.duplicateWindow(-1), "duplicateWindow must be at least 1");
        assertInvalid(b -> b.ackTimeout(Duration.ofMillis(-1)), "ackTimeout must be a positive duration");
        assertInvalid(b -> b.maxFrameBodyLength(0), "maxFrameBodyLength must be between 1 and");
    }

    private static void assertInvalid(UnaryOperator<HeraldClientOptions.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
