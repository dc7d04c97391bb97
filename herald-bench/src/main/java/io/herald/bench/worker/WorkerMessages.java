package io.herald.bench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.bench.fleet.DeviceFleet.ConnectResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The line protocol between the bench and its worker processes. Commands go down stdin as plain words
 * ({@code connect <millis>}, {@code hold <millis>}, {@code stop}); answers come up stdout as one JSON object per
 * line with an {@code event} field. Histograms travel compressed and Base64-encoded so that the parent can merge
 * them exactly instead of averaging percentiles.
 */
final class WorkerMessages {
    static final String READY = "ready";
    static final String CONNECTED = "connected";
    static final String HELD = "held";
    static final String STOPPED = "stopped";
    static final String CONNECT = "connect";
    static final String HOLD = "hold";
    static final String STOP = "stop";

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerMessages() {
    }

    static String event(String name) {
        return JSON.createObjectNode().put("event", name).toString();
    }

    static String held(int minOnline) {
        return JSON.createObjectNode().put("event", HELD).put("minOnline", minOnline).toString();
    }

    static String connected(ConnectResult result) {
        ObjectNode node = JSON.createObjectNode().put("event", CONNECTED).put("requested", result.requested())
                .put("online", result.online()).put("failedAttempts", result.failedAttempts())
                .put("elapsedNanos", result.elapsedNanos())
                .put("histogram", encode(result.loginToAuthOkMicros()));
        if (result.lastError() != null) {
            node.put("lastError", result.lastError());
        }
        return node.toString();
    }

    static ConnectResult connectResult(JsonNode node) {
        return new ConnectResult(node.path("requested").asInt(), node.path("online").asInt(),
                node.path("failedAttempts").asLong(), node.path("elapsedNanos").asLong(),
                decode(node.path("histogram").asText()),
                node.hasNonNull("lastError") ? node.path("lastError").asText() : null);
    }

    /** Null for a line that is not a JSON object: the caller passes such output on as diagnostics. */
    static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node.has("event") ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new UncheckedIOException(new IOException("corrupt histogram from a worker", e));
        }
    }
}
