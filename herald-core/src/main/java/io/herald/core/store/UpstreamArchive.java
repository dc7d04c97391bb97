package io.herald.core.store;

import io.herald.core.message.UpstreamMessage;
import java.util.List;

/** The upstream messages devices sent, kept for the API and for auditing. Blocking: call it off the event loops. */
public interface UpstreamArchive extends UpstreamSink {

    /**
     * Stores a batch in one transaction. Idempotent: a message whose {@code (clientId, messageId)} is already
     * stored is skipped, so a device's resend after a reconnect is stored once.
     *
     * @return how many of the batch were new
     */
    @Override
    int append(List<UpstreamMessage> messages);

    /**
     * The client's latest messages sent under registration {@code generation}, newest first, at most {@code limit}.
     * Messages of an earlier registration of the id (deleted since) are never listed.
     */
    List<UpstreamMessage> latest(String clientId, long generation, int limit);
}
