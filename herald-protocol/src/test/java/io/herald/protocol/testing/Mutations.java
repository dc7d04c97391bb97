package io.herald.protocol.testing;

import io.herald.protocol.Wire;
import io.herald.protocol.frame.Frame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ways to damage a valid byte stream: bits flipped, bytes changed, inserted or deleted, the stream cut short, a
 * slice repeated, a header's length field lying about its body. The edits are values (records), so a property
 * test can generate and shrink them; every position is taken modulo the stream's length when applied, so any
 * {@code int} is a valid position and smaller ones are nearer the start.
 */
public final class Mutations {
    private Mutations() {
    }

    /** One change to a byte stream. */
    public sealed interface Edit permits FlipBit, SetByte, Insert, Delete, Truncate, RepeatSlice {
        byte[] applyTo(byte[] bytes);
    }

    public record FlipBit(int at, int bit) implements Edit {
        @Override
        public byte[] applyTo(byte[] bytes) {
            return bytes.length == 0 ? bytes : flipBit(bytes, Math.floorMod(at, bytes.length), Math.floorMod(bit, 8));
        }
    }

    public record SetByte(int at, int value) implements Edit {
        @Override
        public byte[] applyTo(byte[] bytes) {
            return bytes.length == 0 ? bytes : setByte(bytes, Math.floorMod(at, bytes.length), value);
        }
    }

    public record Insert(int at, int value) implements Edit {
        @Override
        public byte[] applyTo(byte[] bytes) {
            return insert(bytes, Math.floorMod(at, bytes.length + 1), (byte) value);
        }
    }

    public record Delete(int at) implements Edit {
        @Override
        public byte[] applyTo(byte[] bytes) {
            return bytes.length == 0 ? bytes : delete(bytes, Math.floorMod(at, bytes.length));
        }
    }

    /** Keeps the first {@code at} bytes (modulo the length): the connection dropped mid-stream. */
    public record Truncate(int at) implements Edit {
        @Override
        public byte[] applyTo(byte[] bytes) {
            return bytes.length == 0 ? bytes : Arrays.copyOf(bytes, Math.floorMod(at, bytes.length));
        }
    }

    /** Sends {@code length} bytes from {@code at} twice, as a retransmitting middlebox might. */
    public record RepeatSlice(int at, int length) implements Edit {
        @Override
        public byte[] applyTo(byte[] bytes) {
            if (bytes.length == 0) {
                return bytes;
            }
            int from = Math.floorMod(at, bytes.length);
            return repeatSlice(bytes, from, Math.min(bytes.length, from + 1 + Math.floorMod(length, 16)));
        }
    }

    /**
     * The length field of frame number {@code frame} (modulo the number of frames) set to {@code value}
     * ({@code absolute}) or moved by {@code value} from the true length, kept within the u32 range.
     */
    public record LengthLie(int frame, long value, boolean absolute) {
    }

    /** Valid frames encoded back to back, then lengths lied about, then edits: the bytes of a damaged stream. */
    public static byte[] damagedStream(List<? extends Frame> frames, List<LengthLie> lies, List<? extends Edit> edits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        for (Frame frame : frames) {
            offsets.add(out.size());
            out.writeBytes(Codec.encodeUntracked(frame));
        }
        byte[] bytes = out.toByteArray();
        for (LengthLie lie : lies) {
            if (offsets.isEmpty()) {
                break;
            }
            int offset = offsets.get(Math.floorMod(lie.frame(), offsets.size()));
            long length = lie.absolute() ? lie.value() : FramingModel.bodyLength(bytes, offset) + lie.value();
            bytes = setLength(bytes, offset, Math.max(0, Math.min(0xFFFF_FFFFL, length)));
        }
        for (Edit edit : edits) {
            bytes = edit.applyTo(bytes);
        }
        return bytes;
    }

    /**
     * {@code bytes} cut at the given points, each taken modulo the length (points at 0 or the end, and repeated
     * ones, cut nothing): the reads a stream arrives in.
     */
    public static int[] cuts(List<Integer> points, int length) {
        if (length < 2) {
            return new int[0];
        }
        return points.stream().mapToInt(p -> 1 + Math.floorMod(p, length - 1)).sorted().distinct().toArray();
    }

    public static byte[] flipBit(byte[] b, int at, int bit) {
        byte[] copy = b.clone();
        copy[at] ^= (byte) (1 << bit);
        return copy;
    }

    public static byte[] setByte(byte[] b, int at, int value) {
        byte[] copy = b.clone();
        copy[at] = (byte) value;
        return copy;
    }

    public static byte[] insert(byte[] b, int at, byte value) {
        return Bytes.concat(Arrays.copyOf(b, at), new byte[] {value}, Arrays.copyOfRange(b, at, b.length));
    }

    public static byte[] delete(byte[] b, int at) {
        return Bytes.concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, b.length));
    }

    public static byte[] repeatSlice(byte[] b, int from, int to) {
        return Bytes.concat(Arrays.copyOf(b, to), Arrays.copyOfRange(b, from, to), Arrays.copyOfRange(b, to, b.length));
    }

    private static byte[] setLength(byte[] b, int headerOffset, long length) {
        byte[] copy = b.clone();
        System.arraycopy(Bytes.u32(length), 0, copy, headerOffset + Wire.LENGTH_OFFSET, 4);
        return copy;
    }
}
