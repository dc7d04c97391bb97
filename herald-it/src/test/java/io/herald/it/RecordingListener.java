package io.herald.it;

import io.herald.client.ConnectionInfo;
import io.herald.client.HeraldListener;
import io.herald.client.ReceivedMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps what an SDK client's listener was told, for assertions. */
final class RecordingListener implements HeraldListener {
    final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    final List<String> kicks = new CopyOnWriteArrayList<>();
    final List<ConnectionInfo> connections = new CopyOnWriteArrayList<>();
    final AtomicInteger disconnects = new AtomicInteger();
    /** {@link System#nanoTime()} when each message id first arrived, for latency figures. */
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private volatile long lastConnectedNanos;

    @Override
    public void onConnected(ConnectionInfo info) {
        lastConnectedNanos = System.nanoTime();
        connections.add(info);
    }

    @Override
    public void onDisconnected(Throwable cause) {
        disconnects.incrementAndGet();
    }

    @Override
    public void onMessage(ReceivedMessage message) {
        arrivals.putIfAbsent(message.messageId(), System.nanoTime());
        messages.add(message);
    }

    @Override
    public void onKicked(String reason) {
        kicks.add(reason);
    }

    List<String> texts() {
        return messages.stream().map(ReceivedMessage::payloadAsString).toList();
    }

    /** {@code host:port} of the gateway of the latest connection; null before the first. */
    String gateway() {
        return connections.isEmpty() ? null : connections.get(connections.size() - 1).gateway();
    }

    /** {@link System#nanoTime()} of the latest AUTH_OK. */
    long lastConnectedNanos() {
        return lastConnectedNanos;
    }

    /** {@link System#nanoTime()} when the message first arrived; throws if it has not. */
    long arrivalNanos(String messageId) {
        Long arrival = arrivals.get(Long.parseLong(messageId));
        if (arrival == null) {
            throw new IllegalStateException("message " + messageId + " has not arrived");
        }
        return arrival;
    }

    long countOf(String messageId) {
        return messages.stream().filter(m -> Long.toString(m.messageId()).equals(messageId)).count();
    }
}
