package io.herald.spi;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Application logic for messages devices send up. Implementations are found with {@link java.util.ServiceLoader}:
 * list the class in {@code META-INF/services/io.herald.spi.UpstreamHandler} of a jar on the gateway's class path.
 * The built-in handlers are registered the same way.
 *
 * <p>For each message, every handler whose {@link #contentTypes()} contains its content type is called (in
 * {@link #order()}), one message of a device at a time, in the order the device sent them. The gateway acks the
 * device only after all of them completed normally. A stage that fails with {@link RejectedMessageException}
 * makes the ACK status REJECTED (the device will not resend); any other failure makes it RETRY.
 * A content type no handler accepts is rejected.
 *
 * <p>{@link #handle} runs on a worker thread, never on a Netty event loop, so blocking calls are allowed, but a
 * handler that blocks holds up that device's later messages.
 */
public interface UpstreamHandler {

    /** A short name for logs and metrics. */
    String name();

    /** The content types this handler takes. */
    Set<ContentType> contentTypes();

    /** Handlers run in ascending order; built-in validation runs at 0, archiving at 1000. */
    default int order() {
        return 500;
    }

    /** Called once before the first message, with what the gateway offers handlers. */
    default void init(UpstreamHandlerContext context) {
    }

    CompletionStage<Void> handle(UpstreamMessage message);

    /** Called once at shutdown. */
    default void close() {
    }
}
