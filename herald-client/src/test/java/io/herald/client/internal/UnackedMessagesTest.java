package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.client.TooManyUnackedMessagesException;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.MessageFrame;
import org.junit.jupiter.api.Test;

class UnackedMessagesTest {

    private static PendingMessage message(long id) {
        return new PendingMessage(new MessageFrame(id, ContentType.TEXT, Qos.AT_LEAST_ONCE, false, null, 0,
                new byte[0]));
    }

    private static PendingMessage reserveAndAdd(UnackedMessages store, long id) {
        store.reserve();
        PendingMessage message = message(id);
        store.add(message);
        return message;
    }

    @Test
    void keepsMessagesInSendOrderUntilRemoved() {
        UnackedMessages store = new UnackedMessages(10);
        reserveAndAdd(store, 3);
        reserveAndAdd(store, 1);
        reserveAndAdd(store, 2);

        assertThat(store.remove(1)).isNotNull();
        assertThat(store.remove(1)).isNull();

        assertThat(store.inSendOrder()).extracting(PendingMessage::messageId).containsExactly(3L, 2L);
        assertThat(store.reservedCount()).isEqualTo(2);
    }

    @Test
    void reservationFailsFastAtCapacityAndFreesOnRemoval() {
        UnackedMessages store = new UnackedMessages(2);
        reserveAndAdd(store, 1);
        store.reserve();

        assertThatThrownBy(store::reserve).isInstanceOf(TooManyUnackedMessagesException.class)
                .hasMessageContaining("2 upstream messages");

        store.unreserve();
        store.remove(1);
        store.reserve();
        store.reserve();
        assertThat(store.reservedCount()).isEqualTo(2);
    }

    @Test
    void removeAllEmptiesTheStoreAndFreesEverySlot() {
        UnackedMessages store = new UnackedMessages(5);
        reserveAndAdd(store, 1);
        reserveAndAdd(store, 2);

        assertThat(store.removeAll()).extracting(PendingMessage::messageId).containsExactly(1L, 2L);

        assertThat(store.size()).isZero();
        assertThat(store.reservedCount()).isZero();
    }

    @Test
    void transmissionsAfterTheFirstAreMarkedDuplicate() {
        PendingMessage message = message(9);

        assertThat(message.nextTransmission().duplicate()).isFalse();
        assertThat(message.nextTransmission().duplicate()).isTrue();
        assertThat(message.transmissions()).isEqualTo(2);
    }
}
