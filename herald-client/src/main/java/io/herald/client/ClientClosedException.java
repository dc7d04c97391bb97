package io.herald.client;

/** The client was closed: a send pending at that moment, or made afterwards, fails with this. */
public final class ClientClosedException extends HeraldException {
    public ClientClosedException(String message) {
        super(message);
    }
}
