package io.herald.cluster.discovery;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** ZooKeeper session helpers for tests. */
final class Sessions {

    private Sessions() {
    }

    static long sessionId(CuratorFramework client) throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    /** The session owning an ephemeral node, 0 for a persistent one, -1 when the node does not exist. */
    static long ownerOf(CuratorFramework client, String path) throws Exception {
        Stat stat = client.checkExists().forPath(path);
        return stat == null ? -1 : stat.getEphemeralOwner();
    }

    /**
     * Ends the client's session on the server, as a session timeout would: a second handle joins the session
     * and closes it. (curator-test's KillSession only fakes the expiry inside the client, leaving the session and
     * its ephemeral nodes alive on the server.)
     */
    static void expireOnServer(CuratorFramework client, String connectString) throws Exception {
        ZooKeeper original = client.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(connectString, original.getSessionTimeout(), event -> {
            if (event.getState() == KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, original.getSessionId(), original.getSessionPasswd());
        try {
            if (!connected.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not join session " + original.getSessionId());
            }
        } finally {
            twin.close();
        }
    }
}
