package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JdbcSettingsTest {

    @Test
    void h2FileIsAnAbsoluteEmbeddedDatabaseTheApplicationCloses() {
        JdbcSettings settings = JdbcSettings.h2File(Path.of("data"));

        assertThat(settings.jdbcUrl())
                .startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("herald"))
                .contains(";DB_CLOSE_ON_EXIT=FALSE");
        assertThat(settings.username()).isEqualTo(JdbcSettings.DEFAULT_H2_USERNAME);
        assertThat(settings.maxPoolSize()).isEqualTo(JdbcSettings.DEFAULT_MAX_POOL_SIZE);
        assertThat(settings.dialect()).isEqualTo(SqlDialect.H2);
    }

    @Test
    void h2FileRefusesADirectoryThatWouldBreakTheUrl() {
        assertThatThrownBy(() -> JdbcSettings.h2File(Path.of("/tmp/a;b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("';'");
    }

    @Test
    void h2InMemoryAcceptsOnlyPlainNames() {
        assertThat(JdbcSettings.h2InMemory("unit_1").jdbcUrl()).startsWith("jdbc:h2:mem:unit_1;");
        assertThatThrownBy(() -> JdbcSettings.h2InMemory("x;INIT=RUNSCRIPT"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in-memory database name");
    }

    @Test
    void rejectsMissingOrUnsupportedUrlsWithTheReason() {
        assertThatThrownBy(() -> JdbcSettings.of(" ", "u", "p")).hasMessageContaining("jdbcUrl is required");
        assertThatThrownBy(() -> JdbcSettings.of("postgresql://db/herald", "u", "p"))
                .hasMessageContaining("must start with 'jdbc:'");
        assertThatThrownBy(() -> JdbcSettings.of("jdbc:oracle:thin:@db:1521/herald", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:h2:, jdbc:mariadb:, jdbc:mysql: and jdbc:postgresql:");
    }

    @Test
    void rejectsNullCredentialsAndUnreasonablePoolSizes() {
        String url = "jdbc:postgresql://db/herald";
        assertThatThrownBy(() -> JdbcSettings.of(url, null, "p")).hasMessageContaining("username");
        assertThatThrownBy(() -> JdbcSettings.of(url, "u", null)).hasMessageContaining("password");
        assertThatThrownBy(() -> new JdbcSettings(url, "u", "p", 0)).hasMessageContaining("maxPoolSize must be 1 to");
        assertThatThrownBy(() -> new JdbcSettings(url, "u", "p", JdbcSettings.MAX_POOL_SIZE_LIMIT + 1))
                .hasMessageContaining("was " + (JdbcSettings.MAX_POOL_SIZE_LIMIT + 1));
        assertThat(new JdbcSettings(url, "", "", 1).maxPoolSize()).isEqualTo(1);
    }

    @Test
    void neverShowsThePassword() {
        JdbcSettings settings = new JdbcSettings(
                "jdbc:postgresql://db/herald?user=herald&password=in-url&ssl=true", "herald", "s3cret", 4);

        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("in-url")
                .contains("password=***").contains("ssl=true").contains("maxPoolSize=4");
        assertThat(settings.redactedUrl()).isEqualTo("jdbc:postgresql://db/herald?user=herald&password=***&ssl=true");
    }
}
