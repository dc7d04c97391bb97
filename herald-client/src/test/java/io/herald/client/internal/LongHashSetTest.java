package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

    @Test
    void agreesWithHashSetUnderRandomAddsAndRemoves() {
        LongHashSet set = new LongHashSet();
        Set<Long> reference = new HashSet<>();
        Random random = new Random(11);
        for (int i = 0; i < 300_000; i++) {
            // Consecutive ids (like time-ordered message ids) plus 0 and negatives.
            long key = random.nextInt(5000) - 100;
            switch (random.nextInt(3)) {
                case 0, 1 -> assertThat(set.add(key)).isEqualTo(reference.add(key));
                default -> assertThat(set.remove(key)).isEqualTo(reference.remove(key));
            }
            if (i % 1000 == 0) {
                assertThat(set.size()).isEqualTo(reference.size());
            }
        }
        for (long key = -100; key < 4900; key++) {
            assertThat(set.contains(key)).as("key %d", key).isEqualTo(reference.contains(key));
        }
    }
}
