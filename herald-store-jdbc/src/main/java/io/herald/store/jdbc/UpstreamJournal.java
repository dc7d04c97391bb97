package io.herald.store.jdbc;

import io.herald.core.message.UpstreamMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead journal of the upstream archive on an embedded H2 file: what makes an upstream batch durable
 * before its ACK without writing the database file for it.
 *
 * <p>Why: H2's MVStore has no log of its own; making a commit durable ({@code CHECKPOINT SYNC}) writes every
 * B-tree page changed since the last checkpoint. The archive's primary key and its {@code latest()} index are
 * ordered by device, so every message dirties a page of its own device in each, and a checkpoint per batch
 * re-serialised about two pages per message (half the server's CPU per upstream message). Appending the batch's
 * rows here and syncing this file costs a few hundred bytes per message; the database file then follows at H2's
 * own pace, and {@link #retireSegments} drops a segment once a checkpoint covers it.
 *
 * <p>Order that keeps the promise (ACK OK only once the message survives a kill or a power loss): the rows are
 * appended here and fsynced, then answered; their insert into H2 follows ({@link DeferredArchiveInserts}; a resend
 * that comes first is appended again, and the insert, which skips stored keys, keeps each message once). A
 * segment is retired only after every row in it is committed in H2 and a {@code CHECKPOINT SYNC} started after
 * that commit has completed. At start-up
 * ({@link #replay}) every segment left is inserted again (the archive's insert skips stored keys), checkpointed
 * and deleted before the node serves. A record cut short by a crash ends its segment: it was never synced, so
 * never answered.
 *
 * <p>Files: {@code <base>.upstream.<n>.journal} next to the database file, written full of zeros first
 * ({@link #PREALLOCATED_BYTES}); creation, framing ({@code int length, int crc32c(body), body}), reading up to a
 * torn tail, listing and deletion are {@link ChecksummedSegments}'s, as for the in-flight log. Body: client id,
 * generation, message id, content type code, trace id, sent and received times, payload. A length of zero is the
 * end of the records.
 */
final class UpstreamJournal implements AutoCloseable {
    /** A segment is retired once it holds this much, or is this old: bounds replay time and disk use. */
    static final long SEGMENT_BYTES = 4L * 1024 * 1024;
    static final long SEGMENT_MILLIS = 5_000;
    /**
     * A new segment is written full of zeros to this size and synced before its first record: appends then
     * overwrite allocated blocks, so the sync per append ({@code force(false)}, fdatasync) has no file size or
     * block allocation to commit. Growing the file at each append made every sync a file system journal commit,
     * which on ext4 (data=ordered) also waits for H2's unsynced writes to its database file: the ACK latency
     * spikes when H2's background writer is busy. The slack takes the batch that crosses {@link #SEGMENT_BYTES}.
     */
    static final long PREALLOCATED_BYTES = SEGMENT_BYTES + 1024 * 1024;
    private static final String SUFFIX = ".journal";
    /** The first bytes of every segment: a file of another kind (or version) is refused, not misread. */
    private static final byte[] MAGIC = "HRLDUPJ1".getBytes(StandardCharsets.US_ASCII);
    /** No record is larger: an 8 MiB payload plus the fields. */
    private static final int MAX_BODY = 9 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(UpstreamJournal.class);

    private final ChecksummedSegments segments;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel current;
    private Path currentPath;
    private long currentSince;
    private long nextNumber;

    /**
     * One journal per database file in this JVM: H2 lets several pools of one process share an open file (tests
     * do), and two journals numbering the same segments, or one replaying the other's open segment, would clash.
     */
    private static final ConcurrentHashMap<Path, UpstreamJournal> OPEN = new ConcurrentHashMap<>();

    static UpstreamJournal of(Path directory, String baseName) {
        Path key = directory.toAbsolutePath().normalize().resolve(baseName);
        return OPEN.computeIfAbsent(key, ignored -> new UpstreamJournal(directory, baseName));
    }

    UpstreamJournal(Path directory, String baseName) {
        this.segments = new ChecksummedSegments(directory, baseName + ".upstream.", SUFFIX, MAGIC, MAX_BODY);
        this.nextNumber = segments.nextNumber();
    }

    /**
     * Inserts the rows of every segment left by an earlier run with {@code insert}, makes them durable in the
     * database file, then deletes the segments. Call once, when the database opens, before anything else writes.
     */
    synchronized void replay(Inserter insert, CommitFlusher flusher) {
        List<Path> left = segments();
        left.remove(currentPath); // another pool of this process on the same file is writing it
        if (left.isEmpty()) {
            return;
        }
        int rows = 0;
        for (Path segment : left) {
            List<UpstreamMessage> messages = read(segment);
            if (!messages.isEmpty()) {
                insert.insert(messages);
            }
            rows += messages.size();
        }
        flusher.awaitDurable();
        deleteOrWarn(left);
        log.info("Replayed {} upstream message(s) from {} journal segment(s) into the archive", rows, left.size());
    }

    /** Inserts messages into the archive, skipping stored keys. */
    @FunctionalInterface
    interface Inserter {
        void insert(List<UpstreamMessage> messages);
    }

    /**
     * Appends the rows and syncs the file: when this returns they survive a kill and a power loss (as far as the
     * disk honours fsync). Returns the segment to retire when the current one is full or old, else null.
     *
     * @throws StoreException when the file cannot be written or synced
     */
    synchronized Path append(List<UpstreamMessage> messages, long nowMillis) {
        try {
            if (current == null) {
                open(nowMillis);
            }
            buffer.clear();
            for (UpstreamMessage message : messages) {
                encode(message);
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                current.write(buffer);
            }
            current.force(false);
            if (current.position() >= SEGMENT_BYTES || nowMillis - currentSince >= SEGMENT_MILLIS) {
                Path full = currentPath;
                current.close();
                current = null;
                currentPath = null;
                return full;
            }
            return null;
        } catch (IOException e) {
            closeQuietly();
            throw new StoreException("Could not write the upstream journal in " + segments.directory() + ": " + e, e);
        }
    }

    /** Deletes segments a checkpoint covers; one that cannot be deleted is replayed (harmlessly) at the next start. */
    void retireSegments(List<Path> full) {
        deleteOrWarn(full);
    }

    /** A segment that cannot be deleted is inserted again at the next start, which the insert makes harmless. */
    private void deleteOrWarn(List<Path> full) {
        try {
            segments.delete(full);
        } catch (StoreException e) {
            log.warn("{} (its rows are inserted again, harmlessly, at the next start)", e.getMessage());
        }
    }

    /** A new segment: created with its magic and its directory entry synced, then preallocated. */
    private void open(long nowMillis) throws IOException {
        ChecksummedSegments.Segment segment = segments.create(nextNumber);
        nextNumber = segments.numberOf(segment.path()) + 1;
        current = segment.channel();
        currentPath = segment.path();
        preallocate();
        currentSince = nowMillis;
    }

    /** Zeros to {@link #PREALLOCATED_BYTES} after the magic, synced; the next append starts after the magic. */
    private void preallocate() throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        long position = current.position();
        long end = PREALLOCATED_BYTES;
        while (position < end) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - position));
            position += current.write(zeros, position);
        }
        current.force(true);
    }

    private void encode(UpstreamMessage message) {
        byte[] client = message.clientId().getBytes(StandardCharsets.UTF_8);
        byte[] trace = message.traceId() == null ? null : message.traceId().getBytes(StandardCharsets.UTF_8);
        int body = 2 + client.length + 8 + 8 + 4 + 2 + (trace == null ? 0 : trace.length) + 8 + 8 + 4
                + message.payload().length;
        ensure(ChecksummedSegments.HEADER + body);
        int start = buffer.position();
        buffer.position(start + ChecksummedSegments.HEADER);
        buffer.putShort((short) client.length).put(client);
        buffer.putLong(message.generation()).putLong(message.messageId()).putInt(message.contentType().code());
        if (trace == null) {
            buffer.putShort((short) -1);
        } else {
            buffer.putShort((short) trace.length).put(trace);
        }
        buffer.putLong(message.sentAt()).putLong(message.receivedAt());
        buffer.putInt(message.payload().length).put(message.payload());
        ChecksummedSegments.seal(buffer, start);
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }

    /** The records of a segment up to the first one that is cut short or damaged (a crash mid-append). */
    List<UpstreamMessage> read(Path segment) {
        List<UpstreamMessage> messages = new ArrayList<>();
        for (ByteBuffer body : segments.read(segment)) {
            messages.add(decode(body));
        }
        return messages;
    }

    private static UpstreamMessage decode(ByteBuffer body) {
        String clientId = string(body, body.getShort());
        long generation = body.getLong();
        long messageId = body.getLong();
        int type = body.getInt();
        short traceLength = body.getShort();
        String traceId = traceLength < 0 ? null : string(body, traceLength);
        long sentAt = body.getLong();
        long receivedAt = body.getLong();
        byte[] payload = new byte[body.getInt()];
        body.get(payload);
        return new UpstreamMessage(clientId, generation, messageId, Codes.contentType(type), payload, traceId, sentAt,
                receivedAt);
    }

    private static String string(ByteBuffer body, int length) {
        byte[] bytes = new byte[length];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** This journal's segments, oldest first. */
    List<Path> segments() {
        return segments.list();
    }

    private void closeQuietly() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // already failing
            }
            current = null;
            currentPath = null;
        }
    }

    /** Closes the current segment; it stays, and is replayed at the next start. */
    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
