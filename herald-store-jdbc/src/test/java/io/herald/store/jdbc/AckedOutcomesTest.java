package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.store.MessageStatuses.DeliveryStatus;
import io.herald.core.store.MessageStatuses.State;
import org.junit.jupiter.api.Test;

class AckedOutcomesTest {
    private final AckedOutcomes acked = new AckedOutcomes();

    @Test
    void answersByMessageInClientIdOrderWithTheFirstAckOfADevice() {
        acked.add("c", 1, 30);
        acked.add("a", 1, 10);
        acked.add("a", 1, 40); // a copy stored again and acked again: the first outcome stands
        acked.add("b", 2, 20);

        assertThat(acked.of(1, 10)).containsExactly(new DeliveryStatus("a", State.ACKED, 10),
                new DeliveryStatus("c", State.ACKED, 30));
        assertThat(acked.of(1, 1)).extracting(DeliveryStatus::clientId).containsExactly("a");
        assertThat(acked.of(3, 10)).isEmpty();
        assertThat(acked.size()).isEqualTo(4);
    }

    @Test
    void aDrainedBatchIsAnsweredUntilTheTableHasIt() {
        acked.add("a", 1, 10);
        AckedOutcomes.Batch batch = acked.drain();
        acked.add("b", 1, 20);

        assertThat(batch.outcomes()).containsExactly(
                new MessageOutcomeTable.Outcome("a", 1, MessageOutcomeTable.ACKED, 10));
        assertThat(acked.size()).as("only the current batch counts against the segment's bound").isEqualTo(1);
        assertThat(acked.of(1, 10)).extracting(DeliveryStatus::clientId).containsExactly("a", "b");
        acked.moved(batch);
        assertThat(acked.of(1, 10)).extracting(DeliveryStatus::clientId).containsExactly("b");
    }
}
