package io.herald.server;

import io.herald.client.ConnectionInfo;
import io.herald.client.HeraldListener;
import io.herald.client.ReceivedMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps what an SDK client's listener was told, for assertions. */
final class RecordingListener implements HeraldListener {
    final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    final List<String> kicks = new CopyOnWriteArrayList<>();
    final AtomicInteger connects = new AtomicInteger();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected(ConnectionInfo info) {
        connects.incrementAndGet();
    }

    @Override
    public void onMessage(ReceivedMessage message) {
        messages.add(message);
    }

    @Override
    public void onError(Throwable cause) {
        errors.add(cause);
    }

    @Override
    public void onKicked(String reason) {
        kicks.add(reason);
    }

    List<String> texts() {
        return messages.stream().map(ReceivedMessage::payloadAsString).toList();
    }
}
