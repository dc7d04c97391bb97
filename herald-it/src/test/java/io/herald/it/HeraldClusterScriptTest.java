package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.it.ClusterScript.Run;
import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/herald-cluster} end to end, on a port block (HERALD_CLUSTER_PORT_BASE) and a state directory of its own:
 * {@code up --gateways 4 --api-nodes 3}; {@code status} lists them all up; devices register and log in through nginx
 * and get a gateway of the cluster; pushes through nginx reach them and are spread over the three API nodes, and an
 * MQTT device on a gateway's MQTT port; an
 * {@code up} with fewer ({@code --gateways 3 --api-nodes 2}) reloads nginx without api-3, stops gateway-4 and api-3,
 * and the devices are reached again; an {@code up} with the first counts starts just those two again;
 * {@code down --purge} leaves no process and drops the cluster's own database. The first {@code up} has
 * {@code --monitoring}: its Prometheus scrapes every node as up, and follows the later layouts. Whatever fails, the
 * cluster is taken down (and by a shutdown hook if the test JVM is stopped).
 */
@ExtendWith(NettyLeakCheck.class)
class HeraldClusterScriptTest {
    private static final Logger log = LoggerFactory.getLogger(HeraldClusterScriptTest.class);
    private static final Path STATE_ROOT = Paths.get("target", "herald-cluster-it").toAbsolutePath();
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Port bases tried in turn until one has every port free: their ports (base + 1883 to base + 9093) stay below
     * the ephemeral range (32768-) that the other tests' free ports come from, and clear of the default cluster's.
     */
    private static final int[] PORT_BASES = {10000, 11000, 3000};
    private static final String[] LAYOUT = {"--gateways", "4", "--api-nodes", "3"};
    private static final Pattern STATUS_UP = Pattern.compile("(?m)^((?:gateway|api)-\\d+)\\s+\\d+\\s+\\S+\\s+up\\b");

    @Test
    void portsOfTheLargestLayoutAreDistinctAndMoveWithTheBase() throws Exception {
        ClusterScript script = new ClusterScript(STATE_ROOT.resolve("layout"), 30000);
        Map<String, List<Integer>> ports = script.ports("--gateways", "12", "--api-nodes", "9");

        List<Integer> all = ports.values().stream().flatMap(List::stream).toList();
        // ZooKeeper, Redis, Kafka (2), archiver, 12 gateways (5 each), 9 API nodes, nginx (HTTP and MQTT).
        assertThat(all).hasSize(1 + 1 + 2 + 1 + 12 * 5 + 9 + 2).doesNotHaveDuplicates();
        assertThat(ports.get("zookeeper")).containsExactly(32181);
        assertThat(ports.get("nginx")).containsExactly(38080, 31883);
        assertThat(ports.get("gateway-12")).containsExactly(37012, 37092, 37112, 37212, 37312);
        assertThat(ports.get("api-9")).containsExactly(38089);

        Run tooMany = script.run(COMMAND_TIMEOUT, "ports", "--gateways", "13");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.output()).contains("--gateways must be a whole number from 1 to 12, was '13'");
    }

    @Test
    void upRefusesAPortTakenByAnotherProcessNamingItAndStartsNothing() throws Exception {
        Path state = STATE_ROOT.resolve("taken");
        String[] layout = {"--gateways", "2", "--api-nodes", "1"};
        ClusterScript script = withFreePorts(state, layout);
        int taken = script.ports(layout).get("gateway-2").get(0);
        try (ServerSocket stranger = new ServerSocket(taken, 1, InetAddress.getLoopbackAddress())) {
            Run up = script.run(COMMAND_TIMEOUT, concat(new String[] {"up"}, layout));

            assertThat(up.exitCode()).as(up.output()).isEqualTo(1);
            assertThat(up.output()).contains("gateway-2: port " + taken + " on 127.0.0.1 is in use by another process");
            assertThat(script.processes()).isEmpty();
            assertThat(state.resolve("cluster.env")).doesNotExist();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void fourGatewaysAndThreeApiNodesServeDevicesThroughNginxAndDownLeavesNoProcess() throws Exception {
        Path state = STATE_ROOT.resolve("cluster");
        // An earlier run stopped half-way may have left a cluster in this directory, on the base it recorded.
        ClusterScript.recorded(state).run(COMMAND_TIMEOUT, "down", "--purge");
        ClusterScript script = withFreePorts(state, LAYOUT);
        Thread cleanup = new Thread(() -> downQuietly(script), "herald-cluster-down");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Map<String, List<Integer>> ports = script.ports(LAYOUT);
            long started = System.nanoTime();
            Run up = script.run(UP_TIMEOUT, concat(new String[] {"up", "--monitoring"}, LAYOUT));
            assertThat(up.exitCode()).as(up.output()).isZero();
            log.info("up --gateways 4 --api-nodes 3 on port base {} in {} s", script.portBase(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

            Run status = script.run(COMMAND_TIMEOUT, "status");
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(upRoles(status)).as(status.output()).containsExactly(
                    "gateway-1", "gateway-2", "gateway-3", "gateway-4", "api-1", "api-2", "api-3");
            // The archiver, 4 gateways and 3 API nodes, each scraped successfully.
            await().atMost(WAIT).until(() -> script.run(COMMAND_TIMEOUT, "status").output()
                    .matches("(?s).*\\nprometheus +\\d+ +\\d+ +up +targets up 8 of 8,.*"));
            // The gateways run with the gateway options, the other roles with HERALD_JAVA_OPTS.
            assertThat(commandLine(script.pid("gateway-4"))).contains(ClusterScript.GATEWAY_JAVA_OPTS)
                    .doesNotContain(ClusterScript.ROLE_JAVA_OPTS);
            assertThat(commandLine(script.pid("api-3"))).contains(ClusterScript.ROLE_JAVA_OPTS);

            HttpApi nginx = new HttpApi(ports.get("nginx").get(0), script.apiKey());
            try (TestDevices devices = new TestDevices()) {
                List<Device> fleet = devices.connectAll(
                        IntStream.rangeClosed(1, 8).mapToObj(i -> "script-" + i).toList(), nginx);
                Set<Integer> gatewayPorts = new HashSet<>();
                for (int n = 1; n <= 4; n++) {
                    gatewayPorts.add(ports.get("gateway-" + n).get(0));
                }
                for (Device device : fleet) {
                    assertThat(portOf(device.gateway())).as(device.clientId()).isIn(gatewayPorts);
                }

                List<Integer> apiPorts = List.of(ports.get("api-1").get(0), ports.get("api-2").get(0),
                        ports.get("api-3").get(0));
                double[] before = apiPorts.stream().mapToDouble(p -> Metrics.sum(p, "herald_push_requests_total"))
                        .toArray();
                for (Device device : fleet) {
                    PushAnswer answer = pushAndAwait(nginx, device, "hello");
                    assertThat(answer.online()).as(answer.body()).isEqualTo(1);
                }
                // Round robin: eight pushes one after the other reach each of the three API nodes.
                for (int i = 0; i < apiPorts.size(); i++) {
                    assertThat(Metrics.sum(apiPorts.get(i), "herald_push_requests_total") - before[i])
                            .as("pushes through nginx that reached api-" + (i + 1)).isPositive();
                }
                await().atMost(WAIT).until(() -> script.run(COMMAND_TIMEOUT, "status").output()
                        .contains("gateways up: 4 of 4, 8 connections; API nodes up: 3 of 3"));

                // MQTT is on at every gateway and nginx balances the MQTT ports (least connections): four devices
                // connecting through nginx, no HTTP login, land one on each gateway, each behind a PROXY protocol
                // header, and get a push through nginx.
                int[] connectionsBefore = new int[4];
                for (int n = 1; n <= 4; n++) {
                    connectionsBefore[n - 1] = connections(ports, n);
                }
                List<MqttClient> mqttDevices = new ArrayList<>();
                Map<String, List<String>> received = new ConcurrentHashMap<>();
                try {
                    for (int i = 1; i <= 4; i++) {
                        String clientId = "script-mqtt-" + i;
                        nginx.register(clientId);
                        MqttClient mqtt = new MqttClient("tcp://127.0.0.1:" + ports.get("nginx").get(1), clientId,
                                new MemoryPersistence());
                        mqttDevices.add(mqtt);
                        MqttConnectOptions options = new MqttConnectOptions();
                        options.setUserName(clientId);
                        options.setPassword(HttpApi.SECRET.toCharArray());
                        mqtt.connect(options);
                        List<String> texts = new CopyOnWriteArrayList<>();
                        received.put(clientId, texts);
                        mqtt.subscribe("devices/" + clientId + "/messages", 1,
                                (topic, message) -> texts.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
                    }
                    for (int n = 1; n <= 4; n++) {
                        int gateway = n;
                        await().atMost(WAIT).untilAsserted(() -> assertThat(connections(ports, gateway))
                                .as("gateway-%d's connections after four MQTT devices came through nginx", gateway)
                                .isEqualTo(connectionsBefore[gateway - 1] + 1));
                    }
                    // nginx named each device's address in a PROXY protocol header, which the gateways read
                    double proxied = 0;
                    for (int n = 1; n <= 4; n++) {
                        List<Integer> own = ports.get("gateway-" + n);
                        proxied += Metrics.sum(own.get(own.size() - 1), "herald_proxy_headers_total",
                                "result=\"proxied\"");
                    }
                    assertThat(proxied).as("PROXY headers the gateways read").isEqualTo(4);
                    for (String clientId : received.keySet()) {
                        PushAnswer pushed = nginx.push("{\"to\":\"" + clientId + "\",\"payload\":\"over mqtt\",\"qos\":1}");
                        assertThat(pushed.online()).as(pushed.body()).isEqualTo(1);
                        await().atMost(WAIT).until(() -> received.get(clientId).contains("over mqtt"));
                    }
                    for (MqttClient mqtt : mqttDevices) {
                        mqtt.disconnect();
                    }
                } finally {
                    for (MqttClient mqtt : mqttDevices) {
                        mqtt.close(true);
                    }
                }

                // The console through nginx: its sessions live in the node that signed the browser in, and nginx
                // keeps the sign-in and every request carrying the session cookie on one node (round robin would
                // send two of every three to a node that does not know the session: 401).
                String cookie = consoleSignIn(ports.get("nginx").get(0), script.apiKey());
                for (int i = 0; i < 6; i++) {
                    assertThat(getWithCookie(ports.get("nginx").get(0), "/api/v1/devices?limit=1", cookie))
                            .as("request %d of a signed-in console through nginx", i).isEqualTo(200);
                }

                // Fewer: nginx reloads without api-3 (the same process), gateway-4 and api-3 stop, gateway-4's
                // devices move to the others.
                long nginxPid = script.pid("nginx");
                Run fewer = script.run(COMMAND_TIMEOUT, "up", "--gateways", "3", "--api-nodes", "2");
                assertThat(fewer.exitCode()).as(fewer.output()).isZero();
                assertThat(fewer.output()).containsPattern("nginx +reloaded \\(pid " + nginxPid + "\\)")
                        .containsPattern("prometheus +reloaded \\(pid \\d+\\): 3 gateway\\(s\\), 2 API node\\(s\\)");
                assertThat(script.pid("nginx")).isEqualTo(nginxPid);
                assertThat(fewer.output()).contains("stopping api-3 gateway-4: beyond --gateways 3 --api-nodes 2");
                Run after = script.run(COMMAND_TIMEOUT, "status");
                assertThat(after.exitCode()).as(after.output()).isZero();
                assertThat(upRoles(after)).as(after.output())
                        .containsExactly("gateway-1", "gateway-2", "gateway-3", "api-1", "api-2");
                assertThat(after.output()).doesNotContain("gateway-4").doesNotContain("api-3");
                assertThat(upstreamServers(state)).containsExactly(apiPorts.get(0), apiPorts.get(1));
                for (Device device : fleet) {
                    assertThat(pushAndAwait(nginx, device, "after").status()).isEqualTo(202);
                }
            }

            // More again: only gateway-4 and api-3 start, and nginx takes api-3 back.
            Run more = script.run(UP_TIMEOUT, concat(new String[] {"up"}, LAYOUT));
            assertThat(more.exitCode()).as(more.output()).isZero();
            assertThat(more.output()).containsPattern("(?m)^gateway-3 +already running")
                    .containsPattern("(?m)^gateway-4 +up \\(pid").containsPattern("(?m)^api-3 +up \\(pid")
                    .containsPattern("(?m)^nginx +reloaded");
            Run again = script.run(COMMAND_TIMEOUT, "status");
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(upRoles(again)).as(again.output()).containsExactly(
                    "gateway-1", "gateway-2", "gateway-3", "gateway-4", "api-1", "api-2", "api-3");
            assertThat(upstreamServers(state)).containsExactly(ports.get("api-1").get(0), ports.get("api-2").get(0),
                    ports.get("api-3").get(0));

            Set<Long> processes = script.processes();
            assertThat(processes).hasSizeGreaterThanOrEqualTo(3 + 1 + 4 + 3 + 1);
            Run down = script.run(COMMAND_TIMEOUT, "down", "--purge");
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(down.output()).contains("database herald_cluster_" + script.portBase());
            await().atMost(Duration.ofSeconds(10)).until(() -> processes.stream()
                    .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
            assertThat(ClusterScript.allFree(ports)).isTrue();
        } finally {
            downQuietly(script);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /** A QoS 1 push through {@code api} to the device; returns once the device has it. */
    private static PushAnswer pushAndAwait(HttpApi api, Device device, String text) {
        PushAnswer answer = api.push("{\"to\":\"" + device.clientId() + "\",\"payload\":\"" + text + "\",\"qos\":1,"
                + "\"ttlSeconds\":600}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        await().atMost(WAIT).until(() -> device.listener().countOf(answer.messageId()) == 1);
        return answer;
    }

    /** The first port base of {@link #PORT_BASES} whose ports of that layout are all free. */
    private static ClusterScript withFreePorts(Path state, String... layout) throws Exception {
        return ClusterScript.onFreePorts(state, PORT_BASES, layout);
    }

    /** The connections gateway-N holds, from its /metrics. */
    private static int connections(Map<String, List<Integer>> ports, int gateway) {
        List<Integer> own = ports.get("gateway-" + gateway);
        return (int) Metrics.sum(own.get(own.size() - 1), "herald_connections");
    }

    private static void downQuietly(ClusterScript script) {
        script.downQuietly();
    }

    /** The gateways and API nodes that status calls up, in its order. */
    private static List<String> upRoles(Run status) {
        List<String> names = new ArrayList<>();
        Matcher matcher = STATUS_UP.matcher(status.output());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Signs in to the console through nginx as a browser on its page would; answers the session cookie. */
    private static String consoleSignIn(int nginxPort, String apiKey) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + nginxPort + "/console/api/session"))
                .header("Origin", "http://127.0.0.1:" + nginxPort).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + apiKey + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    }

    private static int getWithCookie(int port, String path, String cookie) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The ports of the round-robin upstream's servers in the nginx configuration the script wrote. */
    private static List<Integer> upstreamServers(Path state) throws IOException {
        List<Integer> ports = new ArrayList<>();
        String conf = Files.readString(state.resolve("nginx/nginx.conf"), StandardCharsets.UTF_8);
        String roundRobin = conf.substring(conf.indexOf("upstream herald_api"), conf.indexOf("upstream herald_console"));
        Matcher matcher = Pattern.compile("(?m)^\\s*server 127\\.0\\.0\\.1:(\\d+)").matcher(roundRobin);
        while (matcher.find()) {
            ports.add(Integer.parseInt(matcher.group(1)));
        }
        return ports;
    }

    private static String commandLine(long pid) throws IOException {
        return Files.readString(Paths.get("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }

    private static int portOf(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
