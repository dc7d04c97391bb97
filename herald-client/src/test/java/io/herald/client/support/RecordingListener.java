package io.herald.client.support;

import io.herald.client.ConnectionInfo;
import io.herald.client.HeraldListener;
import io.herald.client.ReceivedMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback, for assertions from the test thread. */
public class RecordingListener implements HeraldListener {
    public final List<ConnectionInfo> connected = new CopyOnWriteArrayList<>();
    /** Causes of disconnects; {@code null} entries are kept (a close() by the application). */
    public final List<Throwable> disconnected = Collections.synchronizedList(new ArrayList<>());
    public final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    public final List<String> kicked = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected(ConnectionInfo info) {
        connected.add(info);
    }

    @Override
    public void onDisconnected(Throwable cause) {
        disconnected.add(cause);
    }

    @Override
    public void onMessage(ReceivedMessage message) {
        messages.add(message);
    }

    @Override
    public void onKicked(String reason) {
        kicked.add(reason);
    }

    @Override
    public void onError(Throwable error) {
        errors.add(error);
    }

    public List<String> payloads() {
        return messages.stream().map(ReceivedMessage::payloadAsString).toList();
    }
}
