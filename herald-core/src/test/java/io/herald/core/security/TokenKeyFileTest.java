package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.device.DeviceIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeyFileTest {
    private static final DeviceIdentity DEVICE = new DeviceIdentity("dev", 1);

    @TempDir
    Path dir;

    @Test
    void theKeyIsGeneratedOncePrivateAndReadBackTheSame() throws Exception {
        TokenKeyRing first = TokenKeyFile.loadOrCreate(dir, new SecureRandom());
        Path file = dir.resolve(TokenKeyFile.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Token token = store(first).issue(DEVICE, Duration.ofMinutes(1));
        TokenKeyRing again = TokenKeyFile.loadOrCreate(dir, new SecureRandom());

        assertThat(store(again).resolve(token.value())).contains(DEVICE);
        assertThat(Files.readString(file)).doesNotContain(token.value());
    }

    @Test
    void anAppendedKeySignsAndTheOldOneIsStillAccepted() throws Exception {
        Token old = store(TokenKeyFile.loadOrCreate(dir, new SecureRandom())).issue(DEVICE, Duration.ofMinutes(1));
        Files.writeString(dir.resolve(TokenKeyFile.FILE_NAME), "2 " + java.util.Base64.getEncoder()
                .encodeToString(new byte[32]) + "\n", java.nio.file.StandardOpenOption.APPEND);

        TokenKeyRing rotated = TokenKeyFile.loadOrCreate(dir, new SecureRandom());

        assertThat(rotated.signing().id()).isEqualTo(2);
        assertThat(store(rotated).resolve(old.value())).contains(DEVICE);
    }

    @Test
    void aBrokenFileIsRefusedWithItsLineNumber() throws Exception {
        Files.writeString(dir.resolve(TokenKeyFile.FILE_NAME), "# comment\n1 too-short\n");
        assertThatThrownBy(() -> TokenKeyFile.loadOrCreate(dir, new SecureRandom()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("line 2");
        Files.writeString(dir.resolve(TokenKeyFile.FILE_NAME), "# only a comment\n");
        assertThatThrownBy(() -> TokenKeyFile.loadOrCreate(dir, new SecureRandom()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no token key");
    }

    private static SignedTokenStore store(TokenKeyRing keys) {
        return new SignedTokenStore(new TokenVerifier(keys, Clock.systemUTC()),
                new LocalRevocations(RevocationLog.NONE, Clock.systemUTC(), Duration.ofHours(1)));
    }
}
