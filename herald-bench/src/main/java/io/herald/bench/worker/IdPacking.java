package io.herald.bench.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A set of message ids on one text line: sorted, delta-encoded as unsigned varints, deflated, Base64. Herald's ids
 * are time-ordered, so neighbouring ids differ by little and most take one or two bytes.
 */
final class IdPacking {
    private IdPacking() {
    }

    static String pack(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new DeflaterOutputStream(bytes)) {
            long previous = 0;
            for (long id : sorted) {
                writeVarint(out, id - previous);
                previous = id;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static long[] unpack(String base64, int count) {
        long[] ids = new long[count];
        try (InputStream in = new DataInputStream(new InflaterInputStream(
                new ByteArrayInputStream(Base64.getDecoder().decode(base64))))) {
            long previous = 0;
            for (int i = 0; i < count; i++) {
                previous += readVarint(in);
                ids[i] = previous;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt message ids from a worker", e);
        }
        return ids;
    }

    private static void writeVarint(OutputStream out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(InputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("truncated");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 64 bits");
    }
}
