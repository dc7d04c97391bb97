package io.herald.store.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The in-flight log's files beside the H2 database file: the segments an earlier run left (replayed at the start),
 * and the one segment this run appends to until it is full and replaced by a fresh one. Framing, checksums, listing
 * and deleting are {@link ChecksummedSegments}'. Not thread-safe: {@link InflightLogOfflineStore} calls it under its
 * lock or from its writer thread.
 */
final class InflightLogFiles {
    private static final byte[] MAGIC = "HRLDINF1".getBytes(StandardCharsets.US_ASCII);

    private final ChecksummedSegments segments;
    private ChecksummedSegments.Segment current;

    InflightLogFiles(PrivateH2Files files) {
        this.segments = new ChecksummedSegments(files.directory(), files.baseName() + ".inflight.", ".log", MAGIC,
                InflightRecords.MAX_BODY);
    }

    /** The segments an earlier run left, oldest first. */
    List<Path> leftBehind() {
        return segments.list();
    }

    /**
     * Adds what {@code segment} holds (stores, tombstones, forgotten devices) to the index and its ACKs to the
     * outcomes, in log order.
     */
    void replay(Path segment, InflightIndex index, AckedOutcomes acked) {
        segments.read(segment).forEach(body -> InflightRecords.replay(body, index, acked));
    }

    void delete(List<Path> left) {
        segments.delete(left);
    }

    /**
     * Creates the segment to append to.
     *
     * @throws StoreException when it cannot be created
     */
    void startSegment() {
        try {
            current = segments.create(segments.nextNumber());
        } catch (IOException e) {
            throw new StoreException("Could not create an in-flight log segment in " + segments.directory() + ": "
                    + e, e);
        }
    }

    /** Appends the bytes to the current segment and syncs it. */
    void appendAndSync(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            current.channel().write(bytes);
        }
        current.channel().force(false);
    }

    /** How many bytes the current segment holds (0 when its channel cannot say). */
    long segmentSize() {
        try {
            return current.channel().position();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Ends the current segment with the mark that its copies are in the offline table (synced), closes it (it stays
     * on disk until {@link #deleteRetired}) and creates a fresh one (a {@link StoreException} when it cannot);
     * returns the closed one's path.
     */
    Path retireSegment() throws IOException {
        InflightRecords mark = new InflightRecords(ChecksummedSegments.HEADER + 1);
        mark.moved();
        appendAndSync(mark.encoded());
        Path retired = current.path();
        current.channel().close();
        startSegment();
        return retired;
    }

    /** Deletes a retired segment. Touches only that file: callable from any thread. */
    void deleteRetired(Path retired) {
        segments.delete(List.of(retired));
    }

    /** Closes the current segment; it stays on disk until {@link #deleteSegment}. */
    void closeSegment() throws IOException {
        current.channel().close();
    }

    void deleteSegment() {
        segments.delete(List.of(current.path()));
    }

    Path segmentPath() {
        return current.path();
    }
}
