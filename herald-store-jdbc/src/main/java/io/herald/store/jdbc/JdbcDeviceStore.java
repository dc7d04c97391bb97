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
            "SELECT client_id, secret_hash, created_at FROM device WHERE client_id = ?";
    private static final String INSERT =
            "INSERT INTO device (client_id, secret_hash, created_at) VALUES (?, ?, ?)";
    private static final String DELETE_MESSAGES = "DELETE FROM offline_message WHERE client_id = ?";
    private static final String DELETE_DEVICE = "DELETE FROM device WHERE client_id = ?";
    private static final String EXISTING = "SELECT client_id FROM device WHERE client_id IN ";
    private static final String COUNT = "SELECT COUNT(*) FROM device";

    private final DataSource dataSource;
    private final SqlDialect dialect;

    public JdbcDeviceStore(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
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
                return Optional.of(new Device(row.getString(1), row.getString(2),
                        Instant.ofEpochMilli(row.getLong(3))));
            }
        } catch (SQLException e) {
            throw new StoreException("Could not read device " + clientId, e);
        }
    }

    /** Relies on the primary key rather than a prior lookup, so concurrent registrations of one id cannot both win. */
    @Override
    public boolean insert(Device device) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, device.clientId());
            insert.setString(2, device.secretHash());
            insert.setLong(3, device.createdAt().toEpochMilli());
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
     * registered again by another device. Its upstream archive is kept: that is an audit record.
     */
    @Override
    public boolean delete(String clientId) {
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
