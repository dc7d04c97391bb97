package io.herald.cluster.discovery;

/** herald-it's handle on the ZooKeeper server inside {@link ZooKeeperFixture}. */
public final class ZooKeeperFaults {
    private ZooKeeperFaults() {
    }

    public static void stop(ZooKeeperFixture zooKeeper) throws Exception {
        zooKeeper.server.stop();
    }

    /** Same port and data directory: the persistent nodes are back, the ephemeral ones of expired sessions not. */
    public static void restart(ZooKeeperFixture zooKeeper) throws Exception {
        zooKeeper.server.restart();
    }
}
