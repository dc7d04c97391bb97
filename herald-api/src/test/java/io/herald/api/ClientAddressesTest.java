package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private static final InetAddress NGINX = ip("127.0.0.1");
    private static final InetAddress STRANGER = ip("198.51.100.7");

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddresses addresses = new ClientAddresses(List.of());

        assertThat(addresses.resolve(STRANGER, List.of("203.0.113.5"))).isEqualTo(STRANGER);
        assertThat(addresses.resolve(NGINX, List.of("203.0.113.5"))).isEqualTo(NGINX);
    }

    @Test
    void aTrustedProxysLastHopIsTheClient() {
        ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.1"));

        assertThat(addresses.resolve(NGINX, List.of("203.0.113.5"))).isEqualTo(ip("203.0.113.5"));
        assertThat(addresses.resolve(NGINX, List.of())).isEqualTo(NGINX);
    }

    @Test
    void whatTheClientWroteInFrontIsNotBelieved() {
        ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.1"));

        // nginx's $proxy_add_x_forwarded_for appends the real peer to the client's own header
        assertThat(addresses.resolve(NGINX, List.of("10.9.9.9, 203.0.113.5"))).isEqualTo(ip("203.0.113.5"));
        assertThat(addresses.resolve(NGINX, List.of("10.9.9.9", "203.0.113.5"))).isEqualTo(ip("203.0.113.5"));
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedFromTheRight() {
        ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.1", "10.0.0.0/8"));

        assertThat(addresses.resolve(NGINX, List.of("192.0.2.1, 203.0.113.5, 10.1.2.3")))
                .isEqualTo(ip("203.0.113.5"));
    }

    @Test
    void aDirectClientCannotClaimAnotherAddress() {
        ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.1"));

        assertThat(addresses.resolve(STRANGER, List.of("127.0.0.1, 203.0.113.5"))).isEqualTo(STRANGER);
    }

    @Test
    void aGarbledHopStopsTheWalk() {
        ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.1"));

        assertThat(addresses.resolve(NGINX, List.of("203.0.113.5, unknown"))).isEqualTo(NGINX);
    }

    @Test
    void ipv6BlocksWork() {
        ClientAddresses addresses = new ClientAddresses(List.of("2001:db8::/32"));

        assertThat(addresses.resolve(ip("2001:db8::1"), List.of("2001:db8:ffff::9, 2600::1")))
                .isEqualTo(ip("2600::1"));
    }

    @Test
    void hostNamesAndBadBlocksAreRefused() {
        assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.example.com")))
                .hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/x"))).hasMessageContaining("prefix length");
    }
}
