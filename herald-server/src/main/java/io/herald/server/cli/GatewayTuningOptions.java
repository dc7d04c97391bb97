package io.herald.server.cli;

import io.herald.gateway.GatewaySettings;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.limit.UpstreamRate;
import io.herald.gateway.mqtt.MqttSettings;
import io.herald.gateway.proxy.ProxySources;
import io.herald.protocol.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a gateway treats its devices: the options standalone and the cluster {@code gateway} role share. */
public final class GatewayTuningOptions {

    @Option(names = "--mqtt-port", defaultValue = "-1",
            description = "MQTT 3.1.1 and 5 devices on this TCP port (1883 is MQTT's; 0 = any free port), and over"
                    + " WebSocket at " + MqttSettings.DEFAULT_WS_PATH + " on the WebSocket listener; -1 = no MQTT"
                    + " (default: ${DEFAULT-VALUE}). See docs/mqtt.md.")
    int mqttPort;

    @Option(names = "--heartbeat", defaultValue = "30s",
            description = "Heartbeat interval told to devices; silent for twice that closes (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--auth-timeout", defaultValue = "10s",
            description = "Time a new connection has to send AUTH (default: ${DEFAULT-VALUE}).")
    Duration authTimeout;

    @Option(names = "--max-frame-bytes", defaultValue = "" + Wire.DEFAULT_MAX_BODY_LENGTH,
            description = "Largest frame body a device may send or receive (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--retry-interval", defaultValue = "5s",
            description = "First wait for a QoS 1 ack before resending; doubles each time (default: ${DEFAULT-VALUE}).")
    Duration retryInterval;

    @Option(names = "--max-inflight", defaultValue = "" + GatewaySettings.DEFAULT_MAX_INFLIGHT,
            description = "Unacked QoS 1 messages per device (default: ${DEFAULT-VALUE}).")
    int maxInflight;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Netty event loop threads; 0 = two per core (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--upstream-workers", defaultValue = "" + GatewaySettings.DEFAULT_UPSTREAM_WORKERS,
            description = "Threads running upstream handlers (default: ${DEFAULT-VALUE}).")
    int upstreamWorkers;

    @Option(names = "--upstream-messages-per-second", defaultValue = "" + UpstreamRate.DEFAULT_MESSAGES_PER_SECOND,
            description = "Messages per second one connection may send up, long-run; more are answered ACK RETRY"
                    + " (QoS 0: dropped); 0 = no limit (default: ${DEFAULT-VALUE}).")
    int upstreamMessagesPerSecond;

    @Option(names = "--upstream-message-burst", defaultValue = "" + UpstreamRate.DEFAULT_MESSAGE_BURST,
            description = "Messages a quiet connection may send at once (default: ${DEFAULT-VALUE}).")
    int upstreamMessageBurst;

    @Option(names = "--upstream-bytes-per-second", defaultValue = "" + UpstreamRate.DEFAULT_BYTES_PER_SECOND,
            description = "MESSAGE bytes per second one connection may send up, long-run; 0 = no limit"
                    + " (default: ${DEFAULT-VALUE}).")
    int upstreamBytesPerSecond;

    @Option(names = "--upstream-byte-burst", defaultValue = "" + UpstreamRate.DEFAULT_BYTE_BURST,
            description = "MESSAGE bytes a quiet connection may send at once; one larger frame passes on a full"
                    + " allowance (default: ${DEFAULT-VALUE}).")
    int upstreamByteBurst;

    @Option(names = "--upstream-max-refusals", defaultValue = "" + UpstreamRate.DEFAULT_MAX_REFUSALS,
            description = "Messages refused for rate within 10 s after which the next one closes the connection with"
                    + " ERROR RATE_LIMITED; 0 = never close (default: ${DEFAULT-VALUE}).")
    int upstreamMaxRefusals;

    @Option(names = "--max-connections-per-address", defaultValue = ""
            + AbuseLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            description = "Connections open at once from one remote IP address, authenticated or not; one more is"
                    + " refused with ERROR RATE_LIMITED (WebSocket: HTTP 429); 0 = no limit"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--proxy-protocol-from", split = ",", paramLabel = "IP|CIDR",
            description = "TCP load balancers (IP addresses or CIDR blocks, comma-separated) whose connections may"
                    + " start with a PROXY protocol header (v1 or v2: nginx's proxy_protocol, HAProxy's send-proxy)"
                    + " naming the device's address, which the per-address limits, sessions and events then use;"
                    + " default: none, no header is read.")
    List<String> proxyProtocolFrom = new ArrayList<>();

    @Option(names = ConnectionCapacityOption.NAME, paramLabel = "N",
            defaultValue = "" + ConnectionCapacityOption.FROM_OPEN_FILE_LIMIT,
            description = "Device connections this gateway holds at once (TCP, WebSocket and MQTT, authenticated or"
                    + " not); one more is refused with ERROR GATEWAY_FULL (WebSocket: HTTP 503; MQTT 5: CONNACK Use another server), and a cluster sends"
                    + " no logins to a full gateway. Default: the process's open-file limit minus "
                    + ConnectionCapacityOption.RESERVED_FILES + " (a quarter of a small limit) kept for its other"
                    + " files and sockets; a larger value is refused at start; 0 = no limit.")
    int maxConnections;

    @Option(names = "--handler-setting", paramLabel = "KEY=VALUE",
            description = "A setting for upstream handlers; repeatable.")
    Map<String, String> handlerSettings = new LinkedHashMap<>();

    /** The gateway's settings with these options; the record validates them and names a bad one. */
    public GatewaySettings settings(String gatewayId, String bind, int tcpPort, int wsPort) {
        check();
        GatewaySettings defaults = GatewaySettings.defaults(gatewayId);
        return new GatewaySettings(gatewayId, bind, tcpPort, wsPort, GatewaySettings.DEFAULT_WS_PATH, authTimeout,
                heartbeat, maxFrameBytes, maxInflight, defaults.maxQueued(), retryInterval,
                defaults.maxDeliveryAttempts(), defaults.maxUpstreamPending(), upstreamWorkers, ioThreads)
                .withAbuseLimits(abuseLimits())
                .withMqtt(mqttPort == -1 ? MqttSettings.OFF : MqttSettings.onPort(mqttPort));
    }

    /** The ranges GatewaySettings enforces, checked here under the options' names. */
    private void check() {
        OptionCheck.port("--mqtt-port", mqttPort, true);
        OptionCheck.between("--heartbeat", heartbeat, Duration.ofSeconds(1), Duration.ofDays(24));
        OptionCheck.between("--auth-timeout", authTimeout, Duration.ofMillis(1), Duration.ofDays(1));
        OptionCheck.between("--max-frame-bytes", maxFrameBytes, 256, Wire.HARD_MAX_BODY_LENGTH);
        OptionCheck.between("--retry-interval", retryInterval, Duration.ofMillis(1), Duration.ofDays(1));
        OptionCheck.atLeast("--max-inflight", maxInflight, 1);
        OptionCheck.atLeast("--io-threads", ioThreads, 0);
        OptionCheck.atLeast("--upstream-workers", upstreamWorkers, 1);
    }

    /** The abuse limits from these options; a refused value names its option. */
    AbuseLimits abuseLimits() {
        UpstreamRate rate = Setting.of("--upstream-messages-per-second/--upstream-message-burst/"
                + "--upstream-bytes-per-second/--upstream-byte-burst/--upstream-max-refusals",
                () -> new UpstreamRate(upstreamMessagesPerSecond, upstreamMessageBurst, upstreamBytesPerSecond,
                        upstreamByteBurst, upstreamMaxRefusals));
        AbuseLimits limits = Setting.of("--max-connections-per-address",
                () -> new AbuseLimits(rate, maxConnectionsPerAddress));
        ProxySources proxies = Setting.of("--proxy-protocol-from", () -> ProxySources.of(proxyProtocolFrom));
        return limits.withMaxConnections(ConnectionCapacityOption.resolve(maxConnections)).withProxySources(proxies);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public Map<String, String> handlerSettings() {
        return handlerSettings;
    }
}
