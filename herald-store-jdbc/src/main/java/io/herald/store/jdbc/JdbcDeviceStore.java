package io.herald.store.jdbc;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The device registry in table {@code device}. {@link Device#createdAt()} is stored as epoch milliseconds, so it
 * reads back truncated to the millisecond.
 */
public final class JdbcDeviceStore implements DeviceStore {
    private static final String FIND =
            "SELECT client_id, secret_hash, created_at, generation FROM device WHERE client_id = ?";
    private static final String INSERT =
            "INSERT INTO device (client_id, secret_hash, created_at, generation) VALUES (?, ?, ?, ?)";
    private static final String DELETE_MESSAGES = "DELETE FROM offline_message WHERE client_id = ?";
    private static final String DELETE_DEVICE = "DELETE FROM device WHERE client_id = ?";
    private static final String EXISTING = "SELECT client_id FROM device WHERE client_id IN ";
    private static final String COUNT = "SELECT COUNT(*) FROM device";
    /*
     * A prefix is a key range, [prefix, prefix + '{'): '{' sorts after every character a client id may hold
     * (ClientIds), so no LIKE pattern (and no escaping of '_' or '%') is needed, and every database scans the
     * primary key index from the cursor on. %1$s is the dialect's binary collation (SqlDialect#binaryCollation).
     */
    private static final String LIST = "SELECT client_id, secret_hash, created_at, generation FROM device"
            + " WHERE client_id%1$s >= ? AND client_id%1$s < ? AND client_id%1$s > ?"
            + " ORDER BY client_id%1$s LIMIT ?";
    static final String PREFIX_END = "{";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;
    private final String list;
    /** The offline store whose messages outside the table go with a deleted device; null: all are in the table. */
    private final ClosableOfflineStore offline;

    public JdbcDeviceStore(Database database) {
        this(database, null);
    }

    /** A registry whose {@link #delete} also drops the device's messages that {@code offline} keeps elsewhere. */
    public JdbcDeviceStore(Database database, ClosableOfflineStore offline) {
        this.offline = offline;
        this.dataSource = database.dataSource();
        this.flusher = database.flusher();
        this.dialect = database.dialect();
        this.list = String.format(LIST, dialect.binaryCollation());
    }

    /** A device from the row of {@code client_id, secret_hash, created_at, generation}. */
    static Device device(ResultSet row) throws SQLException {
        return new Device(row.getString(1), row.getString(2), Instant.ofEpochMilli(row.getLong(3)), row.getLong(4));
    }

    @Override
    public Optional<Device> find(String clientId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, clientId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(device(row));
            }
        } catch (SQLException e) {
            throw new StoreException("Could not read device " + clientId, e);
        }
    }

    /**
     * Relies on the primary key rather than a prior lookup, so concurrent registrations of one id cannot both win.
     * Returns once the row is durable (on an embedded H2 file, written and synced; see {@link CommitFlusher}): a
     * registration answered 201 survives a SIGKILL.
     */
    @Override
    public boolean insert(Device device) {
        boolean inserted = insertRow(device);
        if (inserted) {
            flusher.awaitDurable();
        }
        return inserted;
    }

    private boolean insertRow(Device device) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, device.clientId());
            insert.setString(2, device.secretHash());
            insert.setLong(3, device.createdAt().toEpochMilli());
            insert.setLong(4, device.generation());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (dialect.isDuplicateKey(e)) {
                return false;
            }
            throw new StoreException("Could not insert device " + device.clientId(), e);
        }
    }

    /**
     * Deletes the device and its offline messages in one transaction, so no message is left for an id that may be
     * registered again by another device. Its upstream archive is kept: that is an audit record. Returns once the
     * delete is durable, like {@link #insert}: a device answered 204 does not come back after a SIGKILL.
     */
    @Override
    public boolean delete(String clientId) {
        boolean deleted = deleteRows(clientId);
        if (offline != null) {
            offline.forgetDevice(clientId); // the in-flight log's copies: synced before the answer too
        }
        if (deleted) {
            flusher.awaitDurable();
        }
        return deleted;
    }

    private boolean deleteRows(String clientId) {
        try {
            return Transactions.inTransaction(dataSource, connection -> {
                try (PreparedStatement messages = connection.prepareStatement(DELETE_MESSAGES);
                     PreparedStatement device = connection.prepareStatement(DELETE_DEVICE)) {
                    messages.setString(1, clientId);
                    messages.executeUpdate();
                    device.setString(1, clientId);
                    return device.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Could not delete device " + clientId, e);
        }
    }

    /** Asks in IN lists of up to {@link Batching#CHUNK_SIZE} ids, over one connection. */
    @Override
    public Set<String> existing(Collection<String> clientIds) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(clientIds));
        Set<String> found = new HashSet<>();
        if (distinct.isEmpty()) {
            return found;
        }
        try (Connection connection = dataSource.getConnection()) {
            for (List<String> chunk : Batching.chunks(distinct, Batching.CHUNK_SIZE)) {
                try (PreparedStatement select = connection.prepareStatement(EXISTING + InList.of(chunk.size()))) {
                    InList.bindStrings(select, 1, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            found.add(rows.getString(1));
                        }
                    }
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreException("Could not look up " + distinct.size() + " devices", e);
        }
    }

    @Override
    public List<Device> list(String prefix, String after, int limit) {
        List<Device> devices = new ArrayList<>(Math.min(limit, 1024));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(list)) {
            select.setString(1, prefix);
            select.setString(2, prefix + PREFIX_END);
            select.setString(3, after == null ? "" : after);
            select.setInt(4, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    devices.add(device(rows));
                }
            }
            return devices;
        } catch (SQLException e) {
            throw new StoreException("Could not list devices", e);
        }
    }

    @Override
    public long count() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(COUNT);
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("Could not count devices", e);
        }
    }
}
