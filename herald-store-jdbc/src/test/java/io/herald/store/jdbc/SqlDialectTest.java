package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlDialectTest {

    @Test
    void detectsTheDialectFromTheUrlScheme() {
        assertThat(SqlDialect.fromJdbcUrl("jdbc:h2:mem:x")).isEqualTo(SqlDialect.H2);
        assertThat(SqlDialect.fromJdbcUrl("jdbc:mariadb://db:3306/herald")).isEqualTo(SqlDialect.MARIADB);
        assertThat(SqlDialect.fromJdbcUrl("jdbc:mysql://db:3306/herald")).isEqualTo(SqlDialect.MARIADB);
        assertThat(SqlDialect.fromJdbcUrl("JDBC:PostgreSQL://db/herald")).isEqualTo(SqlDialect.POSTGRESQL);
        assertThatThrownBy(() -> SqlDialect.fromJdbcUrl("jdbc:sqlserver://db"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported JDBC URL");
    }

    @Test
    void fillsEveryMigrationPlaceholder() {
        for (SqlDialect dialect : SqlDialect.values()) {
            assertThat(dialect.migrationPlaceholders()).as(dialect.name()).containsOnlyKeys(
                    SqlDialect.CLIENT_ID_TYPE, SqlDialect.PAYLOAD_TYPE, SqlDialect.TABLE_OPTIONS);
        }
        assertThat(SqlDialect.POSTGRESQL.migrationPlaceholders()).containsEntry(SqlDialect.PAYLOAD_TYPE, "BYTEA");
        assertThat(SqlDialect.MARIADB.migrationPlaceholders())
                .containsEntry(SqlDialect.PAYLOAD_TYPE, "MEDIUMBLOB")
                .containsEntry(SqlDialect.TABLE_OPTIONS, " ENGINE=InnoDB");
        assertThat(SqlDialect.MARIADB.migrationPlaceholders().get(SqlDialect.CLIENT_ID_TYPE))
                .as("case-sensitive client ids").contains("COLLATE ascii_bin");
    }

    @Test
    void asksEachDriverForFastBatchesUnlessTheUrlDecides() {
        assertThat(SqlDialect.POSTGRESQL.driverProperties("jdbc:postgresql://db/herald"))
                .isEqualTo(Map.of("reWriteBatchedInserts", "true"));
        assertThat(SqlDialect.POSTGRESQL.driverProperties("jdbc:postgresql://db/herald?reWriteBatchedInserts=false"))
                .isEmpty();
        assertThat(SqlDialect.MARIADB.driverProperties("jdbc:mariadb://db/herald"))
                .isEqualTo(Map.of("useServerPrepStmts", "true"));
        assertThat(SqlDialect.MARIADB.driverProperties("jdbc:mysql://db/herald?permitMysqlScheme"))
                .isEqualTo(Map.of("useServerPrepStmts", "true", "rewriteBatchedStatements", "true"));
        assertThat(SqlDialect.H2.driverProperties("jdbc:h2:mem:x")).isEmpty();
    }

    @Test
    void recognisesDuplicateKeysAsEachDatabaseReportsThem() {
        SQLException standard = new SQLException("duplicate key value violates unique constraint", "23505");
        SQLException mariaDbDuplicate = new SQLException("Duplicate entry 'a-1' for key 'PRIMARY'", "23000", 1062);

        assertThat(SqlDialect.H2.isDuplicateKey(standard)).isTrue();
        assertThat(SqlDialect.POSTGRESQL.isDuplicateKey(standard)).isTrue();
        assertThat(SqlDialect.MARIADB.isDuplicateKey(mariaDbDuplicate)).isTrue();
    }

    @Test
    void otherIntegrityViolationsAreNotDuplicates() {
        assertThat(SqlDialect.MARIADB.isDuplicateKey(
                new SQLException("Column 'payload' cannot be null", "23000", 1048))).isFalse();
        assertThat(SqlDialect.POSTGRESQL.isDuplicateKey(
                new SQLException("null value in column \"payload\"", "23502"))).isFalse();
        assertThat(SqlDialect.H2.isDuplicateKey(new SQLException("no state"))).isFalse();
    }

    @Test
    void findsADuplicateChainedBehindABatchFailure() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0]);
        batch.setNextException(new SQLException("duplicate key value", "23505"));
        SQLException wrapped = new SQLException("batch failed", "HY000",
                new BatchUpdateException("bulk", "23000", 1062, new int[0], null));

        assertThat(SqlDialect.POSTGRESQL.isDuplicateKey(batch)).isTrue();
        assertThat(SqlDialect.MARIADB.isDuplicateKey(wrapped)).isTrue();
    }
}
