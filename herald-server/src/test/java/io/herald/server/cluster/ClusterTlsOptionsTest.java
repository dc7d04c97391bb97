package io.herald.server.cluster;

import static io.herald.server.cluster.RoleCommandLines.API;
import static io.herald.server.cluster.RoleCommandLines.GATEWAY;
import static io.herald.server.cluster.RoleCommandLines.parse;
import static io.herald.server.cluster.RoleCommandLines.refusal;
import static io.herald.server.cluster.RoleCommandLines.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.link.tls.LinkTls;
import io.herald.server.HeraldMain;
import io.herald.server.TestPki;
import io.herald.server.cli.OptionDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The options for TLS inside the cluster: the internal link ({@code --link-tls-*}), Redis
 * ({@code --redis-tls-trust}), and the settings passed through to Kafka and ZooKeeper clients.
 */
class ClusterTlsOptionsTest {

    @TempDir
    Path dir;
    private TestPki pki;
    private TestPki.Server gateway;
    private TestPki.Server other;

    @BeforeEach
    void makeCertificates() {
        pki = new TestPki(dir);
        gateway = pki.server("gateway", "gw1.internal", "127.0.0.1");
        other = pki.server("other", "localhost");
    }

    @Test
    void withoutLinkOptionsTheLinkIsPlain() throws Exception {
        assertThat(((GatewayCommand) parse(GATEWAY)).settings().linkTls()).isSameAs(LinkTls.OFF);
        assertThat(((ApiCommand) parse(API)).settings().linkTls()).isSameAs(LinkTls.OFF);
    }

    @Test
    void theGatewayServesTheLinkOverTlsAndTheApiNodeTrustsIt() throws Exception {
        GatewayCommand gatewayRole = parse(with(GATEWAY, "--link-tls-cert", cert(gateway), "--link-tls-key",
                key(gateway)));
        ApiCommand api = parse(with(API, "--link-tls-trust", pki.caFile.toString()));

        assertThat(gatewayRole.settings().linkTls().serverEnabled()).isTrue();
        assertThat(gatewayRole.settings().linkTls().clientEnabled()).isFalse();
        assertThat(gatewayRole.settings().tls()).as("devices stay plain").isNull();
        assertThat(api.settings().linkTls().clientEnabled()).isTrue();
    }

    @Test
    void mutualTlsTakesATrustOnTheGatewayAndACertificateOnTheApiNode() throws Exception {
        GatewayCommand gatewayRole = parse(with(GATEWAY, "--link-tls-cert", cert(gateway), "--link-tls-key",
                key(gateway), "--link-tls-client-trust", pki.caFile.toString()));
        ApiCommand api = parse(with(API, "--link-tls-trust", pki.caFile.toString(),
                "--link-tls-client-cert", cert(other), "--link-tls-client-key", key(other)));

        assertThat(gatewayRole.settings().linkTls().serverEnabled()).isTrue();
        assertThat(api.settings().linkTls().clientEnabled()).isTrue();
    }

    @Test
    void linkFilesThatAreMissingOrDoNotMatchAreRefusedNamingTheOption() {
        assertThat(refusal(with(GATEWAY, "--link-tls-cert", dir.resolve("nope.pem").toString(),
                "--link-tls-key", key(gateway))))
                .contains("--link-tls-cert").contains("nope.pem does not exist");
        assertThat(refusal(with(GATEWAY, "--link-tls-cert", cert(gateway), "--link-tls-key", key(other))))
                .contains("--link-tls-key: the private key does not belong to the certificate");
        assertThat(refusal(with(GATEWAY, "--link-tls-cert", cert(gateway))))
                .contains("--link-tls-key is missing");
        assertThat(refusal(with(API, "--link-tls-trust", dir.resolve("gone.pem").toString())))
                .contains("--link-tls-trust").contains("gone.pem does not exist");
        assertThat(refusal(with(API, "--link-tls-trust", key(gateway))))
                .contains("--link-tls-trust").contains("holds no PEM certificate");
    }

    @Test
    void mutualTlsWithoutTlsIsRefused() {
        assertThat(refusal(with(GATEWAY, "--link-tls-client-trust", pki.caFile.toString())))
                .contains("--link-tls-client-trust needs --link-tls-cert and --link-tls-key");
        assertThat(refusal(with(API, "--link-tls-client-cert", cert(other), "--link-tls-client-key", key(other))))
                .contains("--link-tls-client-cert needs --link-tls-trust");
        assertThat(refusal(with(API, "--link-tls-trust", pki.caFile.toString(), "--link-tls-client-cert",
                cert(other)))).contains("--link-tls-client-key is missing");
    }

    @Test
    void redisTrustsTheGivenFileForARedissUri() throws Exception {
        ApiCommand api = parse(with(API, "--redis", "rediss://redis.internal:6380/0",
                "--redis-tls-trust", pki.caFile.toString()));

        assertThat(api.settings().redis().tlsTrust()).isEqualTo(pki.caFile);
        assertThat(api.settings().redis().redisUri().isVerifyPeer()).isTrue();
        assertThat(refusal(with(GATEWAY, "--redis-tls-trust", pki.caFile.toString())))
                .contains("--redis-tls-trust").contains("needs a rediss:// uri");
        assertThat(refusal(with(API, "--redis", "rediss://r:6380", "--redis-tls-trust",
                dir.resolve("nope.pem").toString())))
                .contains("--redis-tls-trust").contains("nope.pem does not exist");
    }

    @Test
    void kafkaAndZooKeeperPropertiesArePassedThroughAndCheckedByName() throws Exception {
        GatewayCommand gatewayRole = parse(with(GATEWAY, "--kafka-property", "security.protocol=SSL",
                "--kafka-property", "ssl.truststore.location=/etc/herald/kafka.p12",
                "--zookeeper-property", "zookeeper.ssl.trustStore.location=/etc/herald/zk.pem"));

        assertThat(gatewayRole.settings().kafka().clientProperties().values()).isEqualTo(Map.of(
                "security.protocol", "SSL", "ssl.truststore.location", "/etc/herald/kafka.p12"));
        assertThat(gatewayRole.settings().discovery().clientProperties().values())
                .containsEntry("zookeeper.ssl.trustStore.location", "/etc/herald/zk.pem");
        assertThat(refusal("archiver", "--jdbc-url", "jdbc:mariadb://db/herald", "--kafka-property",
                "ssl.truststore.locaton=/x"))
                .contains("--kafka-property").contains("ssl.truststore.locaton is not a Kafka");
        assertThat(refusal(with(GATEWAY, "--kafka-property", "acks=1"))).contains("acks is set by Herald");
        assertThat(refusal(with(API, "--zookeeper-property", "zookeeper.client.secure=true")))
                .contains("--zookeeper-property").contains("ClientCnxnSocketNetty");
    }

    @Test
    void aConfigFileGivesSeveralPropertiesInOneKeyAndListValuesStayWhole() throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.properties"), """
                kafka-property=security.protocol=SSL,ssl.enabled.protocols=TLSv1.3,TLSv1.2
                link-tls-cert=%s
                link-tls-key=%s
                """.formatted(cert(gateway), key(gateway)));
        String[] args = with(GATEWAY, "--config", config.toString());
        CommandLine cli = HeraldMain.commandLine();
        OptionDefaults.install(cli, args, Map.of());
        GatewayCommand gatewayRole = cli.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();

        assertThat(gatewayRole.settings().kafka().clientProperties().values()).isEqualTo(Map.of(
                "security.protocol", "SSL", "ssl.enabled.protocols", "TLSv1.3,TLSv1.2"));
        assertThat(gatewayRole.settings().linkTls().serverEnabled()).isTrue();
    }

    private static String cert(TestPki.Server server) {
        return server.chainFile().toString();
    }

    private static String key(TestPki.Server server) {
        return server.keyFile().toString();
    }
}
