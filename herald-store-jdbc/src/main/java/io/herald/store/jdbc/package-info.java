/**
 * JDBC persistence for Herald: the {@link io.herald.core.device.DeviceStore}, the
 * {@link io.herald.core.store.OfflineStore} and the {@link io.herald.core.store.UpstreamArchive} on an embedded H2
 * file, MariaDB/MySQL or PostgreSQL.
 *
 * <p>Wiring: build {@link io.herald.store.jdbc.JdbcSettings}, {@link io.herald.store.jdbc.Database#open open} a
 * {@link io.herald.store.jdbc.Database} (pool + schema migration), hand it to the three {@code Jdbc*} stores, and
 * close the database once at shutdown. The stores hold nothing but the pool, so one instance of each serves all
 * threads. Every store method blocks on the database: call them off the event loops.
 */
package io.herald.store.jdbc;
