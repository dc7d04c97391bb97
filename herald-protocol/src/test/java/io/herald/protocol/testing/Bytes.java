package io.herald.protocol.testing;

import io.herald.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/** Byte-array helpers for writing wire bytes by hand. */
public final class Bytes {
    private Bytes() {
    }

    /** Bytes from int literals, so that {@code 0x48}, {@code 0b0000_0101} and {@code 'a'} can be mixed. */
    public static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < -128 || values[i] > 0xFF) {
                throw new IllegalArgumentException("not a byte: " + values[i]);
            }
            out[i] = (byte) values[i];
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A u16 length followed by the UTF-8 bytes, the wire form of a string. */
    public static byte[] str16(String s) {
        byte[] utf8 = utf8(s);
        return concat(u16(utf8.length), utf8);
    }

    public static byte[] u16(int v) {
        return bytes(v >>> 8 & 0xFF, v & 0xFF);
    }

    public static byte[] u32(long v) {
        return bytes((int) (v >>> 24 & 0xFF), (int) (v >>> 16 & 0xFF), (int) (v >>> 8 & 0xFF), (int) (v & 0xFF));
    }

    public static byte[] u64(long v) {
        return concat(u32(v >>> 32), u32(v & 0xFFFF_FFFFL));
    }

    /** A header with the given fields and the right magic and version. */
    public static byte[] header(int type, int flags, long bodyLength) {
        return concat(bytes(Wire.MAGIC, Wire.VERSION, type, flags), u32(bodyLength));
    }

    /** A whole frame: header (with the body's length) and body. */
    public static byte[] frame(int type, int flags, byte[] body) {
        return concat(header(type, flags, body.length), body);
    }

    public static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    /**
     * Parses hex as written in {@code docs/protocol.md}: pairs of hex digits separated by white space; everything
     * from {@code #} to the end of a line is a comment.
     */
    public static byte[] parseHex(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : text.split("\n", -1)) {
            int comment = line.indexOf('#');
            String data = comment >= 0 ? line.substring(0, comment) : line;
            for (String token : data.trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                if (!token.matches("[0-9A-Fa-f]{2}")) {
                    throw new IllegalArgumentException("not a hex byte: '" + token + "' in line: " + line);
                }
                out.write(Integer.parseInt(token, 16));
            }
        }
        return out.toByteArray();
    }

    /** Space-separated upper-case hex, for failure messages. */
    public static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes).toUpperCase(Locale.ROOT);
    }

    /** A buffer from the default (leak-tracked) allocator holding a copy of {@code bytes}. */
    public static ByteBuf buffer(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.buffer(Math.max(bytes.length, 1)).writeBytes(bytes);
    }
}
