package io.herald.core.event;

import java.util.List;

/**
 * Where events go (a webhook's queue, a Kafka topic). Called on Netty event loops: {@link #publish} must never
 * block, and an implementation that cannot take an event now drops it (and counts that) rather than wait.
 */
@FunctionalInterface
public interface EventSink {

    /** Events are off: nobody asked for them. */
    EventSink NONE = event -> {
    };

    void publish(Event event);

    /** Every event to each of the sinks, in the order given; {@link #NONE} when there are none. */
    static EventSink all(List<EventSink> sinks) {
        List<EventSink> targets = sinks.stream().filter(sink -> sink != NONE).toList();
        if (targets.isEmpty()) {
            return NONE;
        }
        if (targets.size() == 1) {
            return targets.get(0);
        }
        return event -> targets.forEach(sink -> sink.publish(event));
    }
}
