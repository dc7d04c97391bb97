package io.herald.gateway;

import io.herald.protocol.testing.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 6455 by hand, for hostile-input tests of the WebSocket pipeline: a client's upgrade request, client frames
 * written byte by byte (so that they can break every rule), a model of which client frames a conforming server
 * accepts, and a reader for the frames the server writes. Independent of Netty's codec on purpose: it is the
 * reference the gateway is checked against.
 */
final class WebSocketWire {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private WebSocketWire() {
    }

    static byte[] upgradeRequest(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: gateway\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One frame as a client writes it: {@code rsv} the three reserved bits, the payload masked with
     * {@code maskKey} when {@code masked}; {@code claimedLength} (when not negative) replaces the payload's
     * length in the header, which then lies. Lengths use the shortest encoding.
     */
    static byte[] clientFrame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, byte[] payload,
                              long claimedLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0xF);
        long length = claimedLength >= 0 ? claimedLength : payload.length;
        int maskBit = masked ? 0x80 : 0;
        if (length < 126) {
            out.write(maskBit | (int) length);
        } else if (length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.writeBytes(Bytes.u16((int) length));
        } else {
            out.write(maskBit | 127);
            out.writeBytes(Bytes.u64(length));
        }
        byte[] key = Bytes.u32(maskKey & 0xFFFF_FFFFL);
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }

    /**
     * What a server that keeps to RFC 6455 (no extensions, masked client frames, payloads up to
     * {@code maxPayload}) makes of a client's byte stream.
     *
     * @param ended     the server must end the connection: a broken rule, a close frame, or a text message
     *                  (Herald frames travel in binary messages only)
     * @param heraldBytes the payloads of the complete binary and continuation frames before that, in order: the
     *                  byte stream the Herald frame decoder gets
     */
    record ClientStream(boolean ended, byte[] heraldBytes) {
    }

    static ClientStream model(byte[] b, int maxPayload) {
        ByteArrayOutputStream herald = new ByteArrayOutputStream();
        int pos = 0;
        boolean fragmented = false;
        while (b.length - pos >= 2) {
            boolean fin = (b[pos] & 0x80) != 0;
            int rsv = (b[pos] & 0x70) >> 4;
            int opcode = b[pos] & 0x0F;
            boolean masked = (b[pos + 1] & 0x80) != 0;
            int length7 = b[pos + 1] & 0x7F;
            boolean control = opcode > 7;
            if (rsv != 0 || !masked
                    || control && (!fin || length7 > 125 || opcode != CLOSE && opcode != PING && opcode != PONG)
                    || control && opcode == CLOSE && length7 == 1
                    || !control && opcode != CONTINUATION && opcode != TEXT && opcode != BINARY
                    || !control && fragmented != (opcode == CONTINUATION)) {
                return new ClientStream(true, herald.toByteArray());
            }
            int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
            if (b.length - pos < header) {
                break;
            }
            long length = length7;
            if (length7 == 126) {
                length = (b[pos + 2] & 0xFF) << 8 | b[pos + 3] & 0xFF;
                if (length < 126) {
                    return new ClientStream(true, herald.toByteArray());
                }
            } else if (length7 == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | b[pos + 2 + i] & 0xFF;
                }
                if (length < 65_536) { // negative (top bit set) or not the shortest encoding
                    return new ClientStream(true, herald.toByteArray());
                }
            }
            if (length > maxPayload) {
                return new ClientStream(true, herald.toByteArray());
            }
            int start = pos + header + 4;
            if (b.length - start < length) {
                break;
            }
            if (opcode == CLOSE || opcode == TEXT) {
                return new ClientStream(true, herald.toByteArray());
            }
            if (!control) {
                for (int i = 0; i < length; i++) {
                    herald.write(b[start + i] ^ b[pos + header + i % 4]);
                }
                fragmented = !fin;
            }
            pos = start + (int) length;
        }
        return new ClientStream(false, herald.toByteArray());
    }

    /** A frame the server wrote (servers do not mask). */
    record ServerFrame(int opcode, byte[] payload) {
    }

    /** Splits what the server wrote into frames; every frame must be complete and well formed. */
    static List<ServerFrame> serverFrames(byte[] b) {
        List<ServerFrame> frames = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            int opcode = b[pos] & 0x0F;
            if ((b[pos] & 0x80) == 0 || (b[pos + 1] & 0x80) != 0) {
                throw new AssertionError("server frame not final or masked at " + pos + ": " + Bytes.hex(b));
            }
            int length7 = b[pos + 1] & 0x7F;
            int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
            long length = length7 == 126 ? (b[pos + 2] & 0xFF) << 8 | b[pos + 3] & 0xFF
                    : length7 == 127 ? readLong(b, pos + 2) : length7;
            int start = pos + header;
            if (start + length > b.length) {
                throw new AssertionError("server frame cut short at " + pos + ": " + Bytes.hex(b));
            }
            frames.add(new ServerFrame(opcode, Arrays.copyOfRange(b, start, start + (int) length)));
            pos = start + (int) length;
        }
        return frames;
    }

    private static long readLong(byte[] b, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | b[at + i] & 0xFF;
        }
        return value;
    }
}
