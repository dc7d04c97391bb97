package io.herald.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the bench reads of bin/herald-cluster: its {@code ports} listing and the signal line of a drill. */
class LocalClusterTest {

    @Test
    void readsEachComponentsPortsInOrder() {
        Map<String, List<Integer>> ports = LocalCluster.parsePorts("""
                zookeeper  22181
                kafka      29092 29093
                gateway-1  27001 27081 27101 27201 27301
                nginx      28080
                """);

        assertThat(ports.keySet()).containsExactly("zookeeper", "kafka", "gateway-1", "nginx");
        assertThat(ports.get("gateway-1")).containsExactly(27001, 27081, 27101, 27201, 27301);
    }

    @Test
    void takesTheMomentOfTheSignalFromTheScriptsOutput() {
        LocalCluster.Outcome restart = new LocalCluster.Outcome(0, """
                gateway-2  SIGTERM at epoch ms 1764921600123
                gateway-2  stopped (pid 4242) in 2.1s
                gateway-2  up (pid 4300) in 11.0s
                """, 1);
        LocalCluster.Outcome notRunning = new LocalCluster.Outcome(1, "herald-cluster: gateway-2 is not running\n", 1);

        assertThat(restart.signalledAtMillis()).isEqualTo(1_764_921_600_123L);
        assertThat(notRunning.signalledAtMillis()).isEqualTo(-1);
        assertThat(notRunning.ok()).isFalse();
    }

    @Test
    void refusesADirectoryWithoutACluster(@TempDir Path empty) throws Exception {
        Path script = Files.createFile(empty.resolve("herald-cluster"));
        script.toFile().setExecutable(true);

        assertThatThrownBy(() -> LocalCluster.open(script, empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no cluster in " + empty)
                .hasMessageContaining("--cluster-dir");
    }
}
