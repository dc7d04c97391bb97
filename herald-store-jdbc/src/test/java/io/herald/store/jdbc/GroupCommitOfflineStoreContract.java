package io.herald.store.jdbc;

import static io.herald.store.jdbc.TestMessages.NOW;
import static io.herald.store.jdbc.TestMessages.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.message.PushMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The group commit of the offline store on a database server: writes queued while a group commits share the next
 * transaction, each caller still gets its own outcome, and reads see the writes queued before them. The writer is
 * held on a row lock taken by the test, so that what gathers meanwhile is known, not left to timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GroupCommitOfflineStoreContract {
    private TestDatabase testDatabase;
    private Database database;
    private GroupCommitOfflineStore store;

    abstract TestDatabase createDatabase();

    @BeforeAll
    void open() {
        testDatabase = createDatabase();
        database = Database.open(testDatabase.settings());
    }

    @AfterAll
    void close() {
        database.close();
        testDatabase.close();
    }

    @BeforeEach
    void freshStore() throws SQLException {
        if (store != null) {
            store.close();
        }
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM offline_message");
        }
        store = new GroupCommitOfflineStore(database);
    }

    @Test
    void writesQueuedWhileAGroupCommitsShareTheNextTransaction() throws Exception {
        store.store(List.of("held"), push(1));
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        try (RowLock lock = RowLock.on(database, "held", 1)) {
            stages.add(store.removeSoon("held", 1)); // the writer waits on the lock with this group
            for (int i = 0; i < 100; i++) {
                stages.add(store.storeDurably(List.of("device-" + i), push(100 + i)));
            }
            stages.add(store.removeSoon("device-0", 100)); // after its store: order within the group holds
            long groupsBefore = store.groupsCommitted();
            lock.release();
            CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).join();
            assertThat(store.groupsCommitted() - groupsBefore).isLessThanOrEqualTo(2);
        }
        assertThat(store.pending("held", NOW, 10)).isEmpty();
        assertThat(store.pending("device-0", NOW, 10)).isEmpty();
        for (int i = 1; i < 100; i++) {
            assertThat(store.pending("device-" + i, NOW, 10)).extracting(PushMessage::messageId)
                    .containsExactly(100L + i);
        }
    }

    @Test
    void aWriteTheDatabaseRefusesFailsAloneNotItsGroup() throws Exception {
        store.store(List.of("held"), push(1));
        CompletableFuture<Void> good;
        CompletableFuture<Void> bad;
        CompletableFuture<Void> alsoGood;
        try (RowLock lock = RowLock.on(database, "held", 1)) {
            store.removeSoon("held", 1);
            good = store.storeDurably(List.of("good-1"), push(2));
            bad = store.storeDurably(List.of("x".repeat(300)), push(3)); // longer than the client id column
            alsoGood = store.storeDurably(List.of("good-2"), push(4));
            lock.release();
        }
        good.join();
        alsoGood.join();
        assertThatThrownBy(bad::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreException.class);
        assertThat(store.countPending("good-1", NOW)).isEqualTo(1);
        assertThat(store.countPending("good-2", NOW)).isEqualTo(1);
    }

    @Test
    void aReadSeesTheDeletesQueuedBeforeIt() {
        for (int i = 0; i < 50; i++) {
            store.store(List.of("reader"), push(10 + i));
        }
        for (int i = 0; i < 50; i += 2) {
            store.removeSoon("reader", 10 + i); // not waited for
        }
        assertThat(store.pending("reader", NOW, 100)).extracting(PushMessage::messageId)
                .allMatch(messageId -> messageId % 2 == 1).hasSize(25);
    }

    @Test
    void storingTwiceKeepsOneCopyAndALargePushIsStoredWhole() {
        List<String> many = StoreContractTest.clientIds("many-", Batching.CHUNK_SIZE + 5);
        CompletableFuture<Void> first = store.storeDurably(List.of("twice", "twice"), push(7));
        CompletableFuture<Void> second = store.storeDurably(List.of("twice"), push(7));
        store.store(many, push(8));
        first.join();
        second.join();
        assertThat(store.countPending("twice", NOW)).isEqualTo(1);
        assertThat(store.countPending("many-" + (Batching.CHUNK_SIZE + 4), NOW)).isEqualTo(1);
    }

    @Test
    void writesAfterCloseFail() {
        store.close();
        assertThatThrownBy(() -> store.removeSoon("late", 1).join()).hasCauseInstanceOf(StoreException.class);
    }

    /** A row locked by an open transaction of another connection: a writer deleting it waits until release. */
    private static final class RowLock implements AutoCloseable {
        private final Connection connection;
        private boolean released;

        private RowLock(Connection connection) {
            this.connection = connection;
        }

        static RowLock on(Database database, String clientId, long messageId) throws SQLException {
            Connection connection = database.dataSource().getConnection();
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("SELECT message_id FROM offline_message"
                    + " WHERE client_id = ? AND message_id = ? FOR UPDATE")) {
                lock.setString(1, clientId);
                lock.setLong(2, messageId);
                lock.executeQuery().close();
            }
            return new RowLock(connection);
        }

        void release() throws SQLException {
            if (!released) {
                released = true;
                connection.commit();
                connection.close();
            }
        }

        @Override
        public void close() throws SQLException {
            release();
        }
    }
}
