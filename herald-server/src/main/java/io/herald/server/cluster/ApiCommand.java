package io.herald.server.cluster;

import io.herald.api.ApiSettings;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.server.cli.LogOptions;
import io.herald.server.cli.ConfigFileOption;
import io.herald.server.cli.DatabaseOptions;
import io.herald.server.cli.DeviceApiOptions;
import io.herald.server.cli.MessageStatusOption;
import io.herald.server.cli.PushApiOptions;
import io.herald.server.cli.OptionCheck;
import io.herald.server.cli.Setting;
import io.herald.core.message.MessageIdGenerator;
import io.herald.server.cli.TlsOptions;
import io.herald.server.cli.WebhookOptions;
import io.herald.server.node.ReadyLine;
import io.herald.server.node.RunUntilStopped;
import io.herald.server.tls.SelfSignedTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code herald api}: a cluster API node. */
@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster role: the HTTP API (registration, login, push, admin). Assigns devices to gateways"
                + " with a routing strategy over the gateways in ZooKeeper, finds connected devices in Redis and"
                + " pushes one batch per gateway over the internal link. Run several behind a load balancer."})
public final class ApiCommand implements Callable<Integer> {

    @Mixin
    LogOptions logs;

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--node-number", defaultValue = "1",
            description = "Number of this API node, 0-1023, unique in the cluster: part of every message id it"
                    + " issues (default: ${DEFAULT-VALUE}).")
    int nodeNumber;

    @Option(names = "--bind", defaultValue = ApiSettings.DEFAULT_BIND_ADDRESS,
            description = "Address the HTTP API binds to (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--http-port", defaultValue = "" + ApiSettings.DEFAULT_PORT,
            description = "HTTP API port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--routing", defaultValue = RoutingStrategies.CONSISTENT_HASH,
            description = "How devices are assigned to gateways at login: round-robin, hash, consistent-hash,"
                    + " weighted or least-connections (default: ${DEFAULT-VALUE}).")
    String routing;

    @Option(names = "--link-timeout", defaultValue = "10s",
            description = "How long a push waits for a gateway over the internal link before storing the message"
                    + " for its devices instead (default: ${DEFAULT-VALUE}).")
    Duration linkTimeout;

    @Mixin
    DeviceApiOptions deviceApi;

    @Mixin
    PushApiOptions pushApi;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    DatabaseOptions database;

    @Mixin
    TlsOptions tls;

    @Mixin
    ApiLinkTlsOptions linkTls;

    /** For the events topic only: the API node publishes the expiries its housekeeping purges. */
    @Mixin
    KafkaOptions kafka;

    @Mixin
    ApiEventsTopicOption eventsTopic;

    @Mixin
    WebhookOptions webhook;

    @Mixin
    MessageStatusOption messageStatus;

    @Override
    public Integer call() throws Exception {
        logs.apply("api-" + nodeNumber);
        ClusterApiNode node = ClusterApiNode.start(settings());
        if (tls.selfSigned()) {
            System.out.println("Self-signed TLS certificate (make clients trust this file): "
                    + SelfSignedTls.certificateFile(selfSignedDirectory()));
        }
        ReadyLine.print("Herald API node %d is up: HTTP %s://%s:%d  (%d gateway(s) live, routing %s)",
                nodeNumber, tls.enabled() ? "https" : "http", "0.0.0.0".equals(bind) ? "127.0.0.1" : bind,
                node.httpPort(), node.liveGateways(), routing);
        RunUntilStopped.await(node);
        return 0;
    }

    ClusterApiNode.Settings settings() {
        String key = deviceApi.apiKey();
        if (key == null) {
            throw new IllegalArgumentException("--api-key (or --api-key-file, or HERALD_API_KEY) is required on an"
                    + " API node: every node behind the load balancer must accept the same key");
        }
        OptionCheck.between("--node-number", nodeNumber, 0, MessageIdGenerator.MAX_NODE);
        OptionCheck.address("--bind", bind);
        OptionCheck.port("--http-port", httpPort, false);
        OptionCheck.between("--link-timeout", linkTimeout, Duration.ofMillis(1), Duration.ofHours(1));
        deviceApi.check();
        Setting.of("--routing", () -> RoutingStrategies.byName(routing));
        ApiSettings api = Setting.of("--http-port/--bind", () -> ApiSettings.of(key).withPort(httpPort)
                .withBindAddress(bind).withOpenRegistration(deviceApi.openRegistration()))
                .withLimits(deviceApi.limits()).withCorsOrigins(deviceApi.corsOrigins());
        api = pushApi.apply(api);
        return new ClusterApiNode.Settings(api, nodeNumber, routing, linkTimeout, deviceApi.tokenTtl(),
                deviceApi.secretHashIterations(), cluster.discovery(), cluster.redis(), cluster.clusterSecret(),
                database.required(), tls.keyMaterial(selfSignedDirectory(), TlsOptions.hostNames(bind)).orElse(null),
                linkTls.linkTls(), eventsTopic.apply(new ClusterEvents(null, webhook.settings().orElse(null),
                        messageStatus.retention()), kafka.settings()));
    }

    private Path selfSignedDirectory() {
        return SelfSignedTls.directoryFor("api-" + nodeNumber);
    }
}
