package io.herald.cluster.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Murmur3Test {

    private static int hash(String text, int seed) {
        return Murmur3.hash32(text.getBytes(StandardCharsets.UTF_8), seed);
    }

    @Test
    void matchesTheReferenceImplementation() {
        assertThat(hash("", 0)).isZero();
        assertThat(hash("", 1)).isEqualTo(0x514E28B7);
        assertThat(hash("", 0xffffffff)).isEqualTo(0x81F16F39);
        assertThat(hash("aaaa", 0x9747b28c)).isEqualTo(0x5A97808A);
        assertThat(hash("aaa", 0x9747b28c)).isEqualTo(0x283E0130);
        assertThat(hash("aa", 0x9747b28c)).isEqualTo(0x5D211726);
        assertThat(hash("a", 0x9747b28c)).isEqualTo(0x7FA09EA6);
        assertThat(hash("Hello, world!", 0x9747b28c)).isEqualTo(0x24884CBA);
        assertThat(hash("The quick brown fox jumps over the lazy dog", 0x9747b28c)).isEqualTo(0x2FA826CD);
    }

    @Test
    void hashesStringsAsUtf8WithSeedZero() {
        assertThat(Murmur3.hash32("π-device")).isEqualTo(hash("π-device", 0));
    }
}
