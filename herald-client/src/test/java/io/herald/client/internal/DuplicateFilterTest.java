package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

    @Test
    void secondSightingOfAnIdIsADuplicate() {
        DuplicateFilter filter = new DuplicateFilter(100);

        assertThat(filter.firstSeen(42)).isTrue();
        assertThat(filter.firstSeen(42)).isFalse();
        assertThat(filter.firstSeen(43)).isTrue();
        assertThat(filter.firstSeen(0)).isTrue();
        assertThat(filter.firstSeen(0)).isFalse();
        assertThat(filter.firstSeen(-1)).isTrue();
        assertThat(filter.size()).isEqualTo(4);
    }

    @Test
    void oldestIdsAreForgottenBeyondTheWindow() {
        DuplicateFilter filter = new DuplicateFilter(3);
        filter.firstSeen(1);
        filter.firstSeen(2);
        filter.firstSeen(3);

        assertThat(filter.firstSeen(4)).isTrue();

        assertThat(filter.size()).isEqualTo(3);
        assertThat(filter.firstSeen(2)).isFalse();
        assertThat(filter.firstSeen(1)).isTrue();
    }

    @Test
    void behavesLikeASlidingWindowOfRecentIds() {
        int window = 1000;
        DuplicateFilter filter = new DuplicateFilter(window);
        ArrayDeque<Long> order = new ArrayDeque<>();
        Set<Long> remembered = new HashSet<>();
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            // A small id space makes repeats, and so evictions followed by re-additions, frequent.
            long id = random.nextInt(3000) * 0x1_0000_0000L + random.nextInt(2);
            boolean expected = !remembered.contains(id);
            if (expected) {
                if (order.size() == window) {
                    remembered.remove(order.removeFirst());
                }
                order.addLast(id);
                remembered.add(id);
            }
            assertThat(filter.firstSeen(id)).as("id %d at step %d", id, i).isEqualTo(expected);
        }
        assertThat(filter.size()).isEqualTo(window);
    }

    @Test
    void windowMustBePositive() {
        assertThatThrownBy(() -> new DuplicateFilter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
