package io.herald.bench.measure;

import java.nio.charset.StandardCharsets;

/**
 * The payload of every bench push: {@code <tag>:<send time in epoch µs>}. The tag names the run (or broadcast
 * round) the push belongs to, so a late message of an earlier run is never counted in a later one; the send
 * time gives push-to-receive latency at microsecond resolution (the MESSAGE timestamp has milliseconds only).
 */
public final class BenchPayload {
    private BenchPayload() {
    }

    public static String encode(int tag, long sendMicros) {
        return tag + ":" + sendMicros;
    }

    public static byte[] encodeBytes(int tag, long sendMicros) {
        return encode(tag, sendMicros).getBytes(StandardCharsets.US_ASCII);
    }

    /** The tag, or -1 when the payload is not a bench payload. */
    public static int tag(byte[] payload) {
        long tag = 0;
        for (int i = 0; i < payload.length && i < 10; i++) {
            byte b = payload[i];
            if (b == ':') {
                return i == 0 ? -1 : (int) tag;
            }
            if (b < '0' || b > '9') {
                return -1;
            }
            tag = tag * 10 + (b - '0');
        }
        return -1;
    }

    /** The send time in epoch µs, or -1 when the payload is not a bench payload. */
    public static long sendMicros(byte[] payload) {
        int colon = -1;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0 || colon == payload.length - 1 || payload.length - colon > 20) {
            return -1;
        }
        long micros = 0;
        for (int i = colon + 1; i < payload.length; i++) {
            byte b = payload[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            micros = micros * 10 + (b - '0');
        }
        return micros;
    }
}
