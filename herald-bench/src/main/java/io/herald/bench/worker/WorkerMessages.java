package io.herald.bench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.bench.fleet.DeviceFleet.ConnectResult;
import io.herald.bench.fleet.FleetStatus;
import io.herald.bench.fleet.Receipts;
import io.herald.bench.fleet.RoundReceipts;
import io.herald.bench.fleet.UpstreamResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The line protocol between the bench and its worker processes. Commands go down stdin as plain words
 * ({@code connect <millis>}, {@code round-await <tag> <millis>}, {@code stop} ...); each is answered on stdout by
 * one JSON object on one line whose {@code event} is the command's word. Histograms travel compressed and
 * Base64-encoded so that the parent merges them exactly instead of averaging percentiles; message ids travel only
 * when asked for ({@link #RECEIPT_IDS}), packed by {@link IdPacking}.
 */
final class WorkerMessages {
    static final String READY = "ready";
    static final String STOPPED = "stopped";
    static final String CONNECT = "connect";
    static final String HOLD = "hold";
    static final String ONLINE = "online";
    static final String ROUND_BEGIN = "round-begin";
    static final String ROUND_AWAIT = "round-await";
    static final String RECEIPTS_BEGIN = "receipts-begin";
    static final String RECEIPTS = "receipts";
    static final String RECEIPT_IDS = "receipt-ids";
    static final String UPSTREAM = "upstream";
    static final String RECONNECT_ON_DROP = "reconnect-on-drop";
    static final String MARK_BACK = "mark-back";
    static final String STATUS = "status";
    static final String STOP = "stop";

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerMessages() {
    }

    static String event(String name) {
        return node(name).toString();
    }

    /** An answer carrying one number (online devices, devices a round expects, fewest online while holding). */
    static String count(String name, long value) {
        return node(name).put("value", value).toString();
    }

    static String connected(ConnectResult result) {
        ObjectNode node = node(CONNECT).put("requested", result.requested())
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

    static String round(RoundReceipts round) {
        return node(ROUND_AWAIT).put("expected", round.expected()).put("delivered", round.delivered())
                .put("duplicates", round.duplicates()).put("latency", encode(round.latencyMicros()))
                .put("stampLatency", encode(round.stampLatencyMicros())).toString();
    }

    static RoundReceipts round(JsonNode node) {
        return new RoundReceipts(node.path("expected").asInt(), node.path("delivered").asInt(),
                node.path("duplicates").asLong(), decode(node.path("latency").asText()),
                decode(node.path("stampLatency").asText()));
    }

    static String receipts(Receipts receipts) {
        ObjectNode node = node(RECEIPTS).put("distinct", receipts.distinct()).put("duplicates", receipts.duplicates())
                .put("fingerprint", receipts.fingerprint()).put("lastReceiveMicros", receipts.lastReceiveMicros());
        if (receipts.latencyMicros() != null) {
            node.put("latency", encode(receipts.latencyMicros()))
                    .put("stampLatency", encode(receipts.stampLatencyMicros()));
        }
        return node.toString();
    }

    static Receipts receipts(JsonNode node) {
        boolean histograms = node.hasNonNull("latency");
        return new Receipts(node.path("distinct").asLong(), node.path("duplicates").asLong(),
                node.path("fingerprint").asLong(), node.path("lastReceiveMicros").asLong(),
                histograms ? decode(node.path("latency").asText()) : null,
                histograms ? decode(node.path("stampLatency").asText()) : null);
    }

    static String receiptIds(long[] ids) {
        return node(RECEIPT_IDS).put("count", ids.length).put("ids", IdPacking.pack(ids)).toString();
    }

    static long[] receiptIds(JsonNode node) {
        return IdPacking.unpack(node.path("ids").asText(), node.path("count").asInt());
    }

    static String upstream(UpstreamResult result) {
        return node(UPSTREAM).put("sent", result.sent()).put("ackedOk", result.ackedOk())
                .put("ackedRejected", result.ackedRejected()).put("ackedRetry", result.ackedRetry())
                .put("unacked", result.unacked()).put("sendingNanos", result.sendingNanos())
                .put("busyNanos", result.busyNanos()).put("latency", encode(result.latencyMicros())).toString();
    }

    static UpstreamResult upstream(JsonNode node) {
        return new UpstreamResult(node.path("sent").asLong(), node.path("ackedOk").asLong(),
                node.path("ackedRejected").asLong(), node.path("ackedRetry").asLong(), node.path("unacked").asLong(),
                node.path("sendingNanos").asLong(), node.path("busyNanos").asLong(),
                decode(node.path("latency").asText()));
    }

    static String status(FleetStatus status) {
        return node(STATUS).put("online", status.online()).put("logins", status.logins())
                .put("lastOnlineMicros", status.lastOnlineMicros()).put("firstBackMicros", status.firstBackMicros())
                .put("reconnect", encode(status.reconnectMicros())).toString();
    }

    static FleetStatus status(JsonNode node) {
        return new FleetStatus(node.path("online").asInt(), node.path("logins").asLong(),
                node.path("lastOnlineMicros").asLong(), node.path("firstBackMicros").asLong(),
                decode(node.path("reconnect").asText()));
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

    private static ObjectNode node(String event) {
        return JSON.createObjectNode().put("event", event);
    }
}
