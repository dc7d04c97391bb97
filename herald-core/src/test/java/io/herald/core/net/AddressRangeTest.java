package io.herald.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressRangeTest {
    @Test
    void readsAddressesAndBlocksOfBothFamilies() {
        assertThat(AddressRange.parse("10.0.0.0/8", "x").prefixBits()).isEqualTo(8);
        assertThat(AddressRange.parse(" 192.0.2.7 ", "x").prefixBits()).isEqualTo(32);
        assertThat(AddressRange.parse("2001:db8::/32", "x").address().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:0");
        assertThat(AddressRange.parse("::1", "x").prefixBits()).isEqualTo(128);
    }

    @Test
    void refusesHostNamesAndBadPrefixesNamingTheEntry() {
        assertThatThrownBy(() -> AddressRange.parse("balancer.example.com", "PROXY protocol source"))
                .hasMessage("PROXY protocol source 'balancer.example.com' is not an IP address or CIDR block");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33", "trusted proxy"))
                .hasMessage("trusted proxy '10.0.0.0/33' has a bad prefix length (0 to 32)");
        assertThatThrownBy(() -> AddressRange.parse("::/x", "trusted proxy"))
                .hasMessageContaining("bad prefix length (0 to 128)");
    }
}
