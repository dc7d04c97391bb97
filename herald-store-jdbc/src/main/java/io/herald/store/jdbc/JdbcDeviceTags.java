package io.herald.store.jdbc;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceTags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Device tags in table {@code device_tag}. A replacement locks the device's row first (SELECT ... FOR UPDATE, on
 * every database Herald runs on), so it and a concurrent delete of the device are serialized: either the tags are
 * written and then deleted with the device (the foreign key cascades), or the device is gone and nothing is written.
 */
public final class JdbcDeviceTags implements DeviceTags {
    private static final String LOCK_DEVICE = "SELECT client_id FROM device WHERE client_id = ? FOR UPDATE";
    private static final String DELETE_TAGS = "DELETE FROM device_tag WHERE client_id = ?";
    private static final String INSERT_TAG = "INSERT INTO device_tag (client_id, tag) VALUES (?, ?)";
    private static final String TAGS_OF = "SELECT client_id, tag FROM device_tag WHERE client_id IN ";
    private static final String WITH_TAG = "SELECT client_id FROM device_tag WHERE tag = ? LIMIT ?";
    /*
     * The (tag, client_id) index read as a range from the cursor on, as JdbcDeviceStore's LIST reads the primary key;
     * %1$s is the dialect's binary collation, so the order is by character codes on every database.
     */
    private static final String LIST_TAGGED = "SELECT d.client_id, d.secret_hash, d.created_at, d.generation"
            + " FROM device_tag t JOIN device d ON d.client_id = t.client_id WHERE t.tag = ?"
            + " AND t.client_id%1$s >= ? AND t.client_id%1$s < ? AND t.client_id%1$s > ?"
            + " ORDER BY t.client_id%1$s LIMIT ?";

    private final DataSource dataSource;
    private final CommitFlusher flusher;
    private final String listTagged;

    public JdbcDeviceTags(Database database) {
        this.dataSource = database.dataSource();
        this.flusher = database.flusher();
        this.listTagged = String.format(LIST_TAGGED, database.dialect().binaryCollation());
    }

    @Override
    public boolean replace(String clientId, SortedSet<String> tags) {
        boolean replaced;
        try {
            replaced = Transactions.inTransaction(dataSource, connection -> {
                try (PreparedStatement lock = connection.prepareStatement(LOCK_DEVICE)) {
                    lock.setString(1, clientId);
                    try (ResultSet row = lock.executeQuery()) {
                        if (!row.next()) {
                            return false;
                        }
                    }
                }
                try (PreparedStatement delete = connection.prepareStatement(DELETE_TAGS);
                     PreparedStatement insert = connection.prepareStatement(INSERT_TAG)) {
                    delete.setString(1, clientId);
                    delete.executeUpdate();
                    for (String tag : tags) {
                        insert.setString(1, clientId);
                        insert.setString(2, tag);
                        insert.addBatch();
                    }
                    if (!tags.isEmpty()) {
                        insert.executeBatch();
                    }
                }
                return true;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not replace the tags of device " + clientId, e);
        }
        if (replaced) {
            flusher.awaitDurable();
        }
        return replaced;
    }

    /** Asks in IN lists of up to {@link Batching#CHUNK_SIZE} ids, over one connection. */
    @Override
    public Map<String, List<String>> tagsOf(Collection<String> clientIds) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(clientIds));
        Map<String, SortedSet<String>> found = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            for (List<String> chunk : Batching.chunks(distinct, Batching.CHUNK_SIZE)) {
                try (PreparedStatement select = connection.prepareStatement(TAGS_OF + InList.of(chunk.size()))) {
                    InList.bindStrings(select, 1, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            found.computeIfAbsent(rows.getString(1), id -> new TreeSet<>()).add(rows.getString(2));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Could not read the tags of " + distinct.size() + " devices", e);
        }
        Map<String, List<String>> tags = new HashMap<>(found.size() * 4 / 3 + 1);
        found.forEach((clientId, own) -> tags.put(clientId, List.copyOf(own)));
        return tags;
    }

    @Override
    public List<String> devicesWithTag(String tag, int limit) {
        List<String> clientIds = new ArrayList<>(Math.min(limit, 16_384));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(WITH_TAG)) {
            select.setString(1, tag);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    clientIds.add(rows.getString(1));
                }
            }
            return clientIds;
        } catch (SQLException e) {
            throw new StoreException("Could not read the devices tagged " + tag, e);
        }
    }

    @Override
    public List<Device> listTagged(String tag, String prefix, String after, int limit) {
        List<Device> devices = new ArrayList<>(Math.min(limit, 1024));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(listTagged)) {
            select.setString(1, tag);
            select.setString(2, prefix);
            select.setString(3, prefix + JdbcDeviceStore.PREFIX_END);
            select.setString(4, after == null ? "" : after);
            select.setInt(5, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    devices.add(JdbcDeviceStore.device(rows));
                }
            }
            return devices;
        } catch (SQLException e) {
            throw new StoreException("Could not list the devices tagged " + tag, e);
        }
    }
}
