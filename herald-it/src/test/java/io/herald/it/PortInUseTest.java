package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.server.HeraldMain;
import io.herald.store.jdbc.JdbcSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * Every cluster role started from its command line, on real ZooKeeper, Redis, Kafka and MariaDB, with one of its
 * ports already taken: one line naming the port and exit code 1 (issue 9; the device TCP port was a 26-line stack
 * trace). Standalone's ports: herald-server's StartupRefusalTest.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class PortInUseTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void eachRoleNamesItsTakenPortInOneLine(KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        try {
            JdbcSettings jdbc = database.settings();
            List<String> cluster = List.of("--zookeeper", services.discovery().connectString(),
                    "--redis", services.redis().uri(), "--cluster-secret", "0123456789abcdef-secret",
                    "--jdbc-url", jdbc.jdbcUrl(), "--jdbc-user", jdbc.username(), "--jdbc-password", jdbc.password());
            List<String> kafka = List.of("--kafka", services.kafka().bootstrapServers(),
                    "--kafka-topic", services.kafka().topic());
            for (String port : new String[] {"--tcp-port", "--ws-port", "--internal-port", "--ops-port"}) {
                List<String> gateway = new ArrayList<>(List.of("gateway", "--gateway-id", "taken" + port.length(),
                        "--bind", "127.0.0.1", "--tcp-port", "0", "--ws-port", "0", "--internal-port", "0",
                        "--ops-port", "0", "--drain-window", "0s"));
                gateway.addAll(cluster);
                gateway.addAll(kafka);
                assertNamesTakenPort(gateway, port);
            }
            List<String> api = new ArrayList<>(List.of("api", "--api-key", "key", "--bind", "127.0.0.1",
                    "--http-port", "0"));
            api.addAll(cluster);
            assertNamesTakenPort(api, "--http-port");
            List<String> archiver = new ArrayList<>(List.of("archiver", "--bind", "127.0.0.1", "--ops-port", "0",
                    "--jdbc-url", jdbc.jdbcUrl(), "--jdbc-user", jdbc.username(), "--jdbc-password", jdbc.password()));
            archiver.addAll(kafka);
            assertNamesTakenPort(archiver, "--ops-port");
        } finally {
            Closing.inOrder(database, services);
        }
    }

    private static void assertNamesTakenPort(List<String> command, String option) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> args = new ArrayList<>(command);
            args.set(args.indexOf(option) + 1, String.valueOf(taken.getLocalPort()));
            StringWriter err = new StringWriter();
            CommandLine cli = HeraldMain.commandLine();
            cli.setErr(new PrintWriter(err, true));

            int code = cli.execute(args.toArray(String[]::new));

            String role = command.get(0) + " " + option;
            assertThat(code).as(role).isEqualTo(1);
            assertThat(err.toString().lines().filter(line -> !line.isBlank()).toList()).as(role).hasSize(1);
            assertThat(err.toString()).as(role).contains("127.0.0.1:" + taken.getLocalPort()).contains("in use");
        }
    }
}
