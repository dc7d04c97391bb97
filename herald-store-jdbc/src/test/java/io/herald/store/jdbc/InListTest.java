package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InListTest {

    @Test
    void padsToPowersOfTwoAndTheChunkSize() {
        assertThat(InList.length(1)).isEqualTo(1);
        assertThat(InList.length(3)).isEqualTo(4);
        assertThat(InList.length(512)).isEqualTo(512);
        assertThat(InList.length(513)).isEqualTo(Batching.CHUNK_SIZE);
        assertThat(InList.length(Batching.CHUNK_SIZE)).isEqualTo(Batching.CHUNK_SIZE);
        assertThat(InList.of(3)).isEqualTo("(?, ?, ?, ?)");
    }

    @Test
    void everyCountUpToAChunkNeedsOnlyADozenStatementTexts() {
        Set<Integer> lengths = new TreeSet<>();
        IntStream.rangeClosed(1, Batching.CHUNK_SIZE).forEach(count -> lengths.add(InList.length(count)));

        assertThat(lengths).hasSize(11);
    }

    @Test
    void refusesEmptyAndOversizedLists() {
        assertThatThrownBy(() -> InList.length(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InList.length(Batching.CHUNK_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
