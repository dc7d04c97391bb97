package io.herald.gateway.upstream.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.device.ClientIds;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.push.PushResult;
import io.herald.protocol.ContentType;
import io.herald.spi.DownstreamPush;
import io.herald.spi.RejectedMessageException;
import io.herald.spi.UpstreamHandler;
import io.herald.spi.UpstreamHandlerContext;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in, optional (off unless {@code --handler-setting chat-relay=on}): relays chat messages between devices, as
 * the web chat demo of herald-js uses. A device sends a JSON message
 *
 * <pre>{"type":"chat","to":"bob","text":"hello"}</pre>
 *
 * and the device {@code bob} gets a QoS 1 JSON push {@code {"type":"chat","from":"alice","text":"hello","sentAt":…}},
 * {@code from} being the sender's authenticated client id (a device cannot pose as another), with the sender's trace
 * id. The sender's ACK comes once the push is queued for delivery or stored for an offline recipient (kept for
 * {@code chat-relay.ttl}, default 24h); an unknown recipient or a malformed chat message is REJECTED. Other JSON
 * messages pass untouched. Any device may message any other: meant for demos and fleets whose devices trust each
 * other. Pushing from a handler needs a standalone node; a cluster gateway refuses to start with it on.
 *
 * <p>At least once, like every push: a resend after a lost ACK relays the text again (with a new message id).
 */
public final class ChatRelayHandler implements UpstreamHandler {
    private static final Logger log = LoggerFactory.getLogger(ChatRelayHandler.class);
    static final String ENABLED_SETTING = "chat-relay";
    static final String TTL_SETTING = "chat-relay.ttl";
    static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** Characters of one chat text: a chat line, not a file transfer. */
    static final int MAX_TEXT_LENGTH = 4096;
    static final String CHAT_TYPE = "chat";

    private final ObjectMapper json = new ObjectMapper();
    private DownstreamPush downstream;
    private Duration ttl = DEFAULT_TTL;

    @Override
    public String name() {
        return "chat-relay";
    }

    /** JSON when switched on; nothing otherwise, so that it is never called. */
    @Override
    public Set<ContentType> contentTypes() {
        return downstream == null ? Set.of() : EnumSet.of(ContentType.JSON);
    }

    /** After validation (order 0), before archiving (1000): a message the relay refuses is not archived either. */
    @Override
    public int order() {
        return 500;
    }

    @Override
    public void init(UpstreamHandlerContext context) {
        String enabled = context.setting(ENABLED_SETTING).orElse("off").trim().toLowerCase(Locale.ROOT);
        switch (enabled) {
            case "off", "false" -> {
                return;
            }
            case "on", "true" -> {
                // configured below
            }
            default -> throw new IllegalArgumentException("--handler-setting " + ENABLED_SETTING + "=" + enabled
                    + ": write on or off");
        }
        ttl = context.setting(TTL_SETTING).map(ChatRelayHandler::parseTtl).orElse(DEFAULT_TTL);
        downstream = context.downstream().orElseThrow(() -> new IllegalStateException("--handler-setting "
                + ENABLED_SETTING + "=on needs a node whose upstream handlers can push to every device: standalone"
                + " (a cluster gateway reaches only its own devices)"));
        log.info("chat relay on: JSON messages {{\"type\":\"chat\",\"to\":…,\"text\":…}} are pushed to their"
                + " recipient (kept {} for offline ones)", ttl);
    }

    @Override
    public CompletionStage<Void> handle(UpstreamMessage message) {
        JsonNode chat;
        try {
            chat = json.readTree(message.payload());
        } catch (IOException e) {
            return CompletableFuture.completedFuture(null); // the JSON validator before this one refuses it
        }
        if (chat == null || !chat.isObject() || !CHAT_TYPE.equals(chat.path("type").asText(null))) {
            return CompletableFuture.completedFuture(null); // not a chat message: someone else's business
        }
        String to = chat.path("to").isTextual() ? chat.path("to").asText() : null;
        String text = chat.path("text").isTextual() ? chat.path("text").asText() : null;
        String problem = problem(to, text);
        if (problem != null) {
            return CompletableFuture.failedFuture(new RejectedMessageException("chat message: " + problem));
        }
        ObjectNode relayed = json.createObjectNode().put("type", CHAT_TYPE).put("from", message.clientId())
                .put("text", text).put("sentAt", message.sentAt());
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(relayed);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return downstream.push(to, ContentType.JSON, payload, ttl, message.traceId())
                .thenAccept(result -> requireKnown(result, to));
    }

    private static String problem(String to, String text) {
        if (to == null) {
            return "\"to\" (the recipient's client id) is required";
        }
        String badId = ClientIds.problem(to);
        if (badId != null) {
            return "\"to\": " + badId;
        }
        if (text == null || text.isEmpty()) {
            return "\"text\" is required";
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            return "\"text\" is longer than " + MAX_TEXT_LENGTH + " characters";
        }
        return null;
    }

    private static void requireKnown(PushResult result, String to) {
        if (result.unknownCount() > 0) {
            throw new RejectedMessageException("chat message: no device '" + to + "'");
        }
    }

    private static Duration parseTtl(String text) {
        try {
            Duration ttl = Duration.parse("PT" + text.trim().toUpperCase(Locale.ROOT));
            if (ttl.compareTo(Duration.ofSeconds(1)) >= 0) {
                return ttl;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new IllegalArgumentException("--handler-setting " + TTL_SETTING + "=" + text
                + ": write a duration of at least 1s, e.g. 30m or 24h");
    }
}
