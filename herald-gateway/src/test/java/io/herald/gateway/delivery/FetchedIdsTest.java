package io.herald.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FetchedIdsTest {
    @Test
    void remembersTheLastIdsUpToItsCapacity() {
        FetchedIds recent = new FetchedIds(3);
        assertThat(recent.contains(0)).as("an empty ring holds no id, not even 0").isFalse();
        for (long id = 1; id <= 5; id++) {
            recent.add(id);
        }

        assertThat(recent.contains(1)).isFalse();
        assertThat(recent.contains(2)).isFalse();
        assertThat(recent.contains(3)).isTrue();
        assertThat(recent.contains(4)).isTrue();
        assertThat(recent.contains(5)).isTrue();
    }

    @Test
    void refusesAnEmptyRing() {
        assertThatThrownBy(() -> new FetchedIds(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
