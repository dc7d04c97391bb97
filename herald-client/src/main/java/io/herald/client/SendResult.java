package io.herald.client;

/**
 * The outcome of a successful {@code send()}: the server acknowledged the message with ACK OK.
 *
 * @param messageId     the id the client gave the message (unique per client, also across restarts)
 * @param transmissions how many times the message was written to a connection before it was acknowledged
 *                      (more than 1 after a reconnect, an ACK timeout or an ACK RETRY)
 */
public record SendResult(long messageId, int transmissions) {
}
