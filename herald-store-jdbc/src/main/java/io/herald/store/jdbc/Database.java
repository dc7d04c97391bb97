package io.herald.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open database: a HikariCP connection pool whose schema has been brought up to date by Flyway. Open one per
 * process with {@link #open}, share it between the stores, and {@link #close} it once at shutdown.
 */
public final class Database implements AutoCloseable {
    /** Where the versioned migrations live; they are written once for every {@link SqlDialect}. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/migration";

    /*
     * How long a caller waits for a pooled connection before failing. Hikari's 30 s default would let a stalled
     * database pile up blocked store threads (and health checks) for half a minute; five seconds fails them fast.
     */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Must stay below the connection timeout, or Hikari resets it. */
    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(3);
    private static final int HEALTH_CHECK_TIMEOUT_SECONDS = 1;
    private static final String POOL_NAME = "herald-jdbc";

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final SqlDialect dialect;
    private final int migrationsApplied;
    private final CommitFlusher flusher;
    private final UpstreamJournal upstreamJournal;
    private final PrivateH2Files files;
    /** Created with the first archive that needs it; null without a journal. */
    private DeferredArchiveInserts deferredArchiveInserts;

    private Database(HikariDataSource dataSource, SqlDialect dialect, int migrationsApplied, CommitFlusher flusher,
                     UpstreamJournal upstreamJournal, PrivateH2Files files) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.migrationsApplied = migrationsApplied;
        this.flusher = flusher;
        this.upstreamJournal = upstreamJournal;
        this.files = files;
    }

    /**
     * Connects and migrates the schema. Opening a database whose schema is current applies nothing, so every node
     * of a cluster may call this at start-up (Flyway serialises concurrent migrations with a lock).
     *
     * <p>An embedded H2 file database is kept private to this account: directory 0700, files 0600 (see
     * {@link PrivateH2Files}).
     *
     * @throws StoreException when the database cannot be reached or the migration fails; no pool is left open
     */
    public static Database open(JdbcSettings settings) {
        return open(settings, null);
    }

    /**
     * Like {@link #open(JdbcSettings)}, with the connection pool's figures (HikariCP's Micrometer tracker:
     * {@code hikaricp_connections_active}, {@code hikaricp_connections_pending}, the time to get a connection...)
     * in {@code registry}; none when it is null.
     */
    public static Database open(JdbcSettings settings, MeterRegistry registry) {
        SqlDialect dialect = settings.dialect();
        PrivateH2Files files = PrivateH2Files.forUrl(settings.jdbcUrl());
        if (files != null) {
            files.prepareDirectory();
        }
        HikariDataSource dataSource = connect(settings, dialect, registry);
        try {
            MigrateResult result = migrate(dataSource, dialect);
            if (files != null) {
                files.restrictFiles();
            }
            log.info("Opened {} database {} as '{}' (pool of {}): applied {} migration(s), schema version {}",
                    dialect, settings.redactedUrl(), settings.username(), settings.maxPoolSize(),
                    result.migrationsExecuted, result.targetSchemaVersion == null
                            ? result.initialSchemaVersion : result.targetSchemaVersion);
            CommitFlusher flusher = CommitFlusher.forUrl(settings.jdbcUrl(), dataSource);
            UpstreamJournal journal = files == null ? null : files.upstreamJournal();
            Database database = new Database(dataSource, dialect, result.migrationsExecuted, flusher, journal,
                    files);
            if (journal != null) {
                // What the last run acked but had not checkpointed into the file yet, before anyone else writes.
                try {
                    journal.replay(new JdbcUpstreamArchive(database)::insert, flusher);
                } catch (RuntimeException e) {
                    database.close();
                    throw e;
                }
            }
            return database;
        } catch (FlywayException e) {
            dataSource.close();
            throw new StoreException("Could not migrate the schema of " + settings.redactedUrl() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static HikariDataSource connect(JdbcSettings settings, SqlDialect dialect, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        if (registry != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
        dialect.driverProperties(settings.jdbcUrl()).forEach(config::addDataSourceProperty);
        if (dialect == SqlDialect.H2) {
            // Hikari retires connections after 30 minutes to dodge network middleboxes that drop idle ones; an
            // in-process database has none, and H2 closes (an in-memory one: discards) the database whenever its
            // last connection goes, which a retirement gap could cause. Keep H2 connections for the pool's life.
            config.setMaxLifetime(0);
        }
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StoreException("Cannot connect to " + settings.redactedUrl() + " as '" + settings.username()
                    + "': " + cause.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot set up a connection pool for " + settings.redactedUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    private static MigrateResult migrate(DataSource dataSource, SqlDialect dialect) {
        return Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS_LOCATION)
                .placeholders(dialect.migrationPlaceholders())
                // A build that lost its migrations must not start against an empty schema as if all were well.
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** The pool; connections are in auto-commit mode when borrowed. */
    public DataSource dataSource() {
        return dataSource;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** What the stores call after a commit that must be in the database file before they return. */
    CommitFlusher flusher() {
        return flusher;
    }

    /**
     * The upstream archive's write-ahead journal: on an embedded H2 file with an absolute path on a POSIX file
     * system (the standalone node's database); null elsewhere (a database server's commit is durable already).
     */
    UpstreamJournal upstreamJournal() {
        return upstreamJournal;
    }

    /**
     * The files of an embedded H2 database with an absolute path on a POSIX file system (the standalone node's),
     * beside which logs of its own may live; null for any other database.
     */
    PrivateH2Files h2Files() {
        return files;
    }

    /** The archive's H2 inserts behind the {@link #upstreamJournal}, one thread per database; null without one. */
    synchronized DeferredArchiveInserts deferredArchiveInserts() {
        if (deferredArchiveInserts == null && upstreamJournal != null) {
            deferredArchiveInserts = new DeferredArchiveInserts(
                    rows -> JdbcUpstreamArchive.insert(dataSource, dialect, rows), upstreamJournal, flusher);
        }
        return deferredArchiveInserts;
    }

    /** How many migrations {@link #open} applied: 0 when the schema was already current. */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    /**
     * Whether a pooled connection answers a validity check within a second. Cheap (no table is touched) but it
     * may wait up to the pool's five-second connection timeout when every connection is busy or the database is
     * unreachable; false once closed.
     */
    public boolean isHealthy() {
        if (dataSource.isClosed()) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(HEALTH_CHECK_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            log.warn("Database health check failed: {}", e.getMessage());
            return false;
        }
    }

    /** Closes every pooled connection; an embedded H2 database is closed (and flushed) with its last connection. */
    @Override
    public void close() {
        if (!dataSource.isClosed()) {
            synchronized (this) {
                if (deferredArchiveInserts != null) {
                    deferredArchiveInserts.close(); // before the flusher: the last retirements ask it
                }
            }
            flusher.close();
            if (upstreamJournal != null) {
                upstreamJournal.close();
            }
            dataSource.close();
            log.info("Closed {} database", dialect);
        }
    }
}
