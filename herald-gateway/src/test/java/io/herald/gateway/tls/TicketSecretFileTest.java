package io.herald.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone node's ticket secret file: made once, private, read back the same, refused when damaged. */
class TicketSecretFileTest {
    @TempDir
    Path dir;

    @Test
    void theSecretIsMadeOnceOwnerOnlyAndDerivesTheSameKeysWhenReadBack() throws Exception {
        TicketSecret made = TicketSecretFile.loadOrCreate(dir, new SecureRandom());
        TicketSecret read = TicketSecretFile.loadOrCreate(dir, new SecureRandom());

        assertThat(read.keyFor(42).name()).isEqualTo(made.keyFor(42).name());
        assertThat(read.keyFor(42).aesKey()).isEqualTo(made.keyFor(42).aesKey());
        assertThat(made.keyFor(43).name()).isNotEqualTo(made.keyFor(42).name());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(TicketSecretFile.FILE_NAME)))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedFileIsRefusedWithWhatToDo() throws Exception {
        Files.writeString(dir.resolve(TicketSecretFile.FILE_NAME), "# header\nnot base64!\n");

        assertThatThrownBy(() -> TicketSecretFile.loadOrCreate(dir, new SecureRandom()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("delete it");
    }

    @Test
    void aShortSecretIsRefused() throws Exception {
        Files.writeString(dir.resolve(TicketSecretFile.FILE_NAME), "c2hvcnQ=\n");

        assertThatThrownBy(() -> TicketSecretFile.loadOrCreate(dir, new SecureRandom()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 32 bytes");
    }
}
