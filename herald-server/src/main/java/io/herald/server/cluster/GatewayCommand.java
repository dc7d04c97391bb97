package io.herald.server.cluster;

import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.gateway.GatewaySettings;
import io.herald.server.cli.LogOptions;
import io.herald.server.cli.ConfigFileOption;
import io.herald.server.cli.DatabaseOptions;
import io.herald.server.cli.GatewayTuningOptions;
import io.herald.server.cli.OptionCheck;
import io.herald.server.cli.Setting;
import io.herald.server.cli.ShutdownOptions;
import io.herald.server.cli.TlsOptions;
import io.herald.server.cli.WebhookOptions;
import io.herald.server.tls.SelfSignedTls;
import io.herald.server.node.ReadyLine;
import io.herald.server.node.RunUntilStopped;
import io.herald.store.jdbc.JdbcMessageStatuses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code herald gateway}: a cluster gateway node. */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster role: holds device connections (TCP, WebSocket), registers in ZooKeeper, publishes"
                + " sessions in Redis, takes pushes from API nodes over the internal link and publishes upstream"
                + " messages to Kafka.", "Ports set to 0 are picked free and logged."})
public final class GatewayCommand implements Callable<Integer> {

    @Mixin
    LogOptions logs;

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--gateway-id", required = true,
            description = "Unique id of this gateway (letters, digits, . _ -); its ZooKeeper node and Redis owner.")
    String gatewayId;

    @Option(names = "--bind", defaultValue = GatewaySettings.DEFAULT_BIND_ADDRESS,
            description = "Address every listener binds to (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--public-host", description = "Host devices and API nodes are told to connect to."
            + " Default: --bind, or this machine's name when binding every address.")
    String publicHost;

    @Option(names = "--tcp-port", defaultValue = "7000", description = "Device TCP port (default: ${DEFAULT-VALUE}).")
    int tcpPort;

    @Option(names = "--ws-port", defaultValue = "7080",
            description = "Device WebSocket port, path /ws; -1 turns it off (default: ${DEFAULT-VALUE}).")
    int wsPort;

    @Option(names = "--internal-port", defaultValue = "7200",
            description = "Port of the internal link API nodes push through (default: ${DEFAULT-VALUE}).")
    int internalPort;

    @Option(names = "--ops-port", defaultValue = "9100",
            description = "Port of /health and /metrics; -1 turns it off (default: ${DEFAULT-VALUE}).")
    int opsPort;

    @Option(names = "--weight", defaultValue = "1",
            description = "Relative capacity for weighted routing, " + GatewayNode.MIN_WEIGHT + "-"
                    + GatewayNode.MAX_WEIGHT + " (default: ${DEFAULT-VALUE}).")
    int weight;

    @Mixin
    GatewayTuningOptions tuning;

    @Mixin
    ShutdownOptions shutdown;

    @Mixin
    TlsOptions tls;

    @Mixin
    GatewayLinkTlsOptions linkTls;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    EventsTopicOption eventsTopic;

    @Mixin
    WebhookOptions webhook;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        logs.apply("gateway-" + gatewayId);
        ClusterGatewayNode.Settings settings = settings();
        Duration drainWindow = shutdown.drainWindow();
        Duration deadline = shutdown.shutdownDeadline();
        ClusterGatewayNode node = ClusterGatewayNode.start(settings);
        if (tls.selfSigned()) {
            System.out.println("Self-signed TLS certificate (make devices trust this file): "
                    + SelfSignedTls.certificateFile(selfSignedDirectory()));
        }
        ReadyLine.print("Herald gateway %s is up: device TCP %d  WebSocket %d  internal link %d  health %d%s%s%s",
                gatewayId, node.tcpPort(), node.wsPort(), node.internalPort(), node.opsPort(),
                node.mqttPort() < 0 ? "" : "  MQTT " + node.mqttPort(),
                tls.enabled() ? "  (devices: TLS)" : "", settings.linkTls().serverEnabled() ? "  (link: TLS)" : "");
        RunUntilStopped.await(() -> node.close(drainWindow), deadline);
        return 0;
    }

    ClusterGatewayNode.Settings settings() throws UnknownHostException {
        Setting.of("--gateway-id", () -> GatewayNode.requireValidId(gatewayId));
        OptionCheck.address("--bind", bind);
        if (publicHost != null) {
            OptionCheck.address("--public-host", publicHost);
        }
        OptionCheck.port("--tcp-port", tcpPort, false);
        OptionCheck.port("--ws-port", wsPort, true);
        OptionCheck.port("--internal-port", internalPort, false);
        OptionCheck.port("--ops-port", opsPort, true);
        shutdown.drainWindow();
        shutdown.shutdownDeadline();
        if (weight < GatewayNode.MIN_WEIGHT || weight > GatewayNode.MAX_WEIGHT) {
            throw new IllegalArgumentException("--weight must be " + GatewayNode.MIN_WEIGHT + "-"
                    + GatewayNode.MAX_WEIGHT + ", was " + weight);
        }
        GatewaySettings gateway = tuning.settings(gatewayId, bind, tcpPort, wsPort);
        String host = publicHost != null ? publicHost
                : "0.0.0.0".equals(bind) || "::".equals(bind) ? InetAddress.getLocalHost().getHostName() : bind;
        KafkaSettings kafkaSettings = kafka.settings();
        ClusterEvents events = eventsTopic.apply(new ClusterEvents(null, webhook.settings().orElse(null),
                JdbcMessageStatuses.DEFAULT_RETENTION), kafkaSettings);
        return new ClusterGatewayNode.Settings(gateway, host, internalPort, opsPort, weight, cluster.discovery(),
                cluster.redis(), cluster.clusterSecret(), kafkaSettings, database.required(),
                tuning.handlerSettings(),
                tls.keyMaterial(selfSignedDirectory(), TlsOptions.hostNames(host, bind)).orElse(null),
                linkTls.linkTls(), events);
    }

    private Path selfSignedDirectory() {
        return SelfSignedTls.directoryFor("gateway-" + gatewayId);
    }
}
