package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.link.ClusterSecret;
import io.herald.core.device.DeviceIdentity;
import io.herald.core.security.SignedTokenStore;
import io.herald.core.security.Token;
import io.herald.core.security.TokenClaims;
import io.herald.core.security.TokenKeyRing;
import io.herald.core.security.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, the cluster: a token issued by API node A is accepted by a gateway that never saw it (same cluster
 * secret, no lookup), and a revocation made through API node B reaches the gateway's copy of the list by pub/sub,
 * and the gateway's check before AUTH_OK at once (it asks Redis). A Redis that restarts empty gets the list back
 * from the gateway's copy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignedTokensAcrossNodesTest {
    private static final String SECRET = "cluster-secret-0123456789";
    private static final DeviceIdentity DEVICE = new DeviceIdentity("dev-1", 42);

    @RegisterExtension
    static final PrivateRedis redis = new PrivateRedis();

    private final Clock clock = Clock.systemUTC();
    private SignedTokenStore apiNodeA;
    private SignedTokenStore apiNodeB;
    private RedisRevocationMirror gatewayCopy;
    private RedisRevocations gatewayRedis;
    private TokenVerifier gatewayVerifier;

    @BeforeEach
    void nodes() {
        apiNodeA = apiNode();
        apiNodeB = apiNode();
        gatewayVerifier = new TokenVerifier(TokenKeyRing.of(ClusterSecret.of(SECRET).tokenKey()), clock);
        gatewayCopy = RedisRevocationMirror.start(redis.connections(), clock);
        gatewayRedis = new RedisRevocations(redis.connections(), clock);
    }

    @AfterEach
    void close() {
        gatewayCopy.close();
    }

    private SignedTokenStore apiNode() {
        return new SignedTokenStore(new TokenVerifier(TokenKeyRing.of(ClusterSecret.of(SECRET).tokenKey()), clock),
                new RedisRevocations(redis.connections(), clock, Duration.ofMinutes(10)));
    }

    @Test
    void aTokenFromNodeAIsAcceptedAndARevocationThroughNodeBIsHonouredByTheGateway() throws Exception {
        Token token = apiNodeA.issue(DEVICE, Duration.ofMinutes(10));
        assertThat(firstCheck(token)).contains(DEVICE);
        assertThat(checkBeforeAuthOk(token)).contains(DEVICE);

        apiNodeB.revokeAll("dev-1");

        assertThat(checkBeforeAuthOk(token)).as("the check before AUTH_OK asks Redis").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> firstCheck(token).isEmpty());
        Token fresh = apiNodeB.issue(DEVICE, Duration.ofMinutes(10));
        assertThat(firstCheck(fresh)).as("a login after the revocation").contains(DEVICE);
        assertThat(checkBeforeAuthOk(fresh)).contains(DEVICE);
    }

    @Test
    void aTokenOfAnotherClusterSecretIsRefused() throws Exception {
        SignedTokenStore otherCluster = new SignedTokenStore(new TokenVerifier(TokenKeyRing.of(
                ClusterSecret.of("another-secret-0123456789").tokenKey()), clock),
                new RedisRevocations(redis.connections(), clock, Duration.ofMinutes(10)));
        Token token = otherCluster.issue(DEVICE, Duration.ofMinutes(10));

        assertThat(firstCheck(token)).isEmpty();
        assertThat(checkBeforeAuthOk(token)).isEmpty();
    }

    @Test
    void aRedisThatRestartedEmptyGetsTheListBackFromTheGatewaysCopy() throws Exception {
        Token token = apiNodeA.issue(DEVICE, Duration.ofMinutes(10));
        apiNodeB.revokeAll("dev-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> firstCheck(token).isEmpty());

        redis.server().restart();

        // The copy subscribes again, reads the (empty) list and writes back what it holds.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> checkBeforeAuthOk(token).isEmpty() && gatewayRedis.markOf("dev-1") > 0);
        assertThat(firstCheck(token)).isEmpty();
    }

    private Optional<DeviceIdentity> firstCheck(Token token) {
        return gatewayVerifier.verify(token.value()).filter(claims -> !gatewayCopy.list().revokes(claims))
                .map(TokenClaims::identity);
    }

    private Optional<DeviceIdentity> checkBeforeAuthOk(Token token) throws Exception {
        Optional<TokenClaims> claims = gatewayVerifier.verify(token.value());
        if (claims.isEmpty() || gatewayRedis.revokesAsync(claims.get()).get(5, TimeUnit.SECONDS)) {
            return Optional.empty();
        }
        return claims.map(TokenClaims::identity);
    }
}
