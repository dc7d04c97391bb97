package io.herald.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Here rather than in herald-core, which has no test setup: the API's limits are its main user. */
class AddressBlocksTest {

    @Test
    void ipv4IsTheAddressItself() throws Exception {
        assertThat(AddressBlocks.key(InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void ipv6IsItsSlash64() throws Exception {
        assertThat(AddressBlocks.key(InetAddress.getByName("2001:db8:0:a::1")))
                .isEqualTo(AddressBlocks.key(InetAddress.getByName("2001:db8:0:a:ffff:1:2:3")))
                .isEqualTo("2001:db8:0:a::/64");
        assertThat(AddressBlocks.key(InetAddress.getByName("2001:db8:0:b::1"))).isEqualTo("2001:db8:0:b::/64");
        assertThat(AddressBlocks.key(InetAddress.getByName("::1"))).isEqualTo("0:0:0:0::/64");
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7};

        assertThat(AddressBlocks.key(Inet6Address.getByAddress(null, mapped, -1))).isEqualTo("192.0.2.7");
    }
}
