package io.herald.core.push;

/**
 * What became of a push when it was accepted.
 *
 * @param online  targets connected now, to which the message was handed for delivery
 * @param stored  offline targets for which a QoS 1 message was stored until they connect
 * @param dropped offline targets of a QoS 0 message, and ids that are not registered
 */
public record PushResult(long messageId, int online, int stored, int dropped) {
}
