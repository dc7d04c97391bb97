package io.herald.cluster.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.link.LinkUnavailableException;
import io.herald.cluster.link.NettyLeaks;
import io.herald.core.session.SessionInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who is online, from an API node: Redis for where, the holding gateway over its link for the rest. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterSessionDirectoryTest {
    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();
    @RegisterExtension
    static final PushCluster cluster = new PushCluster();

    private ClusterSessionDirectory directory;

    @BeforeEach
    void newDirectory() {
        directory = new ClusterSessionDirectory(cluster.membership()::get, cluster.registry(), cluster.links());
    }

    @Test
    void findAsksTheHoldingGatewayForTheWholeSession() {
        cluster.connect(cluster.gw2(), "d4");

        assertThat(directory.find("d4")).contains(cluster.gw2().endpoint().session("d4"));
    }

    @Test
    void findAllLooksUpABatchAndAsksEachHoldingGatewayAboutItsOwn() {
        cluster.connect(cluster.gw1(), "d1");
        cluster.connect(cluster.gw2(), "d4");
        cluster.connect(cluster.gw2(), "d5");

        Map<String, SessionInfo> online = directory.findAll(List.of("d5", "nobody", "d1", "d4"));

        assertThat(online).containsOnlyKeys("d1", "d4", "d5");
        assertThat(online.get("d1")).isEqualTo(cluster.gw1().endpoint().session("d1"));
        assertThat(online.get("d4")).isEqualTo(cluster.gw2().endpoint().session("d4"));
        assertThat(directory.findAll(List.of())).isEmpty();
        cluster.live(cluster.gw1().node());
        assertThat(directory.findAll(List.of("d1", "d4"))).as("gw-2 left").containsOnlyKeys("d1");
    }

    @Test
    void aDeviceNobodyHoldsIsNotFound() {
        assertThat(directory.find("nobody")).isEmpty();
    }

    @Test
    void aDeviceOnAGatewayThatLeftIsNotFoundAndNotAsked() {
        cluster.connect(cluster.gw2(), "d4");
        cluster.live(cluster.gw1().node());

        assertThat(directory.find("d4")).isEmpty();
        assertThat(directory.kick("d4", "bye")).isFalse();
        assertThat(cluster.gw2().endpoint().kicks()).isEmpty();
    }

    @Test
    void kickGoesToTheHoldingGatewayWithTheReason() {
        cluster.connect(cluster.gw1(), "d1");

        assertThat(directory.kick("d1", "kicked by the operator")).isTrue();

        assertThat(cluster.gw1().endpoint().kicks()).containsEntry("d1", "kicked by the operator");
        assertThat(directory.kick("d1", "again")).as("no longer connected there").isFalse();
        assertThat(directory.kick("nobody", "bye")).isFalse();
    }

    @Test
    void theOnlineCountAddsUpWhatTheLiveGatewaysPublished() {
        cluster.live(cluster.gw1().node(3), cluster.gw2().node(4));

        assertThat(directory.onlineCount()).isEqualTo(7);
    }

    @Test
    void anUnreachableHoldingGatewayIsAnErrorNotAnAnswer() {
        cluster.connect(cluster.gw1(), "d1");
        cluster.gw1().stop();

        assertThatThrownBy(() -> directory.find("d1"))
                .isInstanceOf(LinkUnavailableException.class).hasMessageContaining("gw-1");
    }
}
