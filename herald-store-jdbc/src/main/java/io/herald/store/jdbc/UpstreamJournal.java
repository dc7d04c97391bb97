package io.herald.store.jdbc;

import io.herald.core.message.UpstreamMessage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
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
 * committed in H2 first (so a resend finds them: exactly once), then appended here and fsynced, then answered. A
 * segment is retired only after a {@code CHECKPOINT SYNC} that started after its last append. At start-up
 * ({@link #replay}) every segment left is inserted again (the archive's insert skips stored keys), checkpointed
 * and deleted before the node serves. A record cut short by a crash ends its segment: it was never synced, so
 * never answered.
 *
 * <p>Files: {@code <base>.upstream.<n>.journal} next to the database file, 0600 in the 0700 data directory. Record:
 * {@code int length, int crc32c(body), body}; body: client id, generation, message id, content type code, trace id,
 * sent and received times, payload.
 */
final class UpstreamJournal implements AutoCloseable {
    /** A segment is retired once it holds this much, or is this old: bounds replay time and disk use. */
    static final long SEGMENT_BYTES = 4L * 1024 * 1024;
    static final long SEGMENT_MILLIS = 5_000;
    private static final String SUFFIX = ".journal";
    /** The first bytes of every segment: a file of another kind (or version) is refused, not misread. */
    private static final byte[] MAGIC = "HRLDUPJ1".getBytes(StandardCharsets.US_ASCII);
    /** No record is larger: an 8 MiB payload plus the fields. */
    private static final int MAX_BODY = 9 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(UpstreamJournal.class);

    private final Path directory;
    private final String prefix;
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
        this.directory = directory;
        this.prefix = baseName + ".upstream.";
        this.nextNumber = segments().stream().mapToLong(this::numberOf).max().orElse(0) + 1;
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
        delete(left);
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
            throw new StoreException("Could not write the upstream journal in " + directory + ": " + e, e);
        }
    }

    /** Deletes segments a checkpoint covers; one that cannot be deleted is replayed (harmlessly) at the next start. */
    void retireSegments(List<Path> segments) {
        delete(segments);
    }

    private void open(long nowMillis) throws IOException {
        while (current == null) {
            currentPath = directory.resolve(prefix + nextNumber++ + SUFFIX);
            try {
                current = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                        ? FileChannel.open(currentPath, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                                PosixFilePermissions.asFileAttribute(PrivateH2Files.FILE))
                        : FileChannel.open(currentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                // left by a journal object of an earlier open in this JVM: take the next number
            }
        }
        current.write(ByteBuffer.wrap(MAGIC));
        currentSince = nowMillis;
        syncDirectory();
    }

    /** The new segment's directory entry must survive a power loss too, or its synced records would be lost. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the file's own sync is then all there is.
            log.debug("Could not sync directory {}: {}", directory, e.toString());
        }
    }

    private void encode(UpstreamMessage message) {
        byte[] client = message.clientId().getBytes(StandardCharsets.UTF_8);
        byte[] trace = message.traceId() == null ? null : message.traceId().getBytes(StandardCharsets.UTF_8);
        int body = 2 + client.length + 8 + 8 + 4 + 2 + (trace == null ? 0 : trace.length) + 8 + 8 + 4
                + message.payload().length;
        ensure(8 + body);
        int start = buffer.position();
        buffer.position(start + 8);
        buffer.putShort((short) client.length).put(client);
        buffer.putLong(message.generation()).putLong(message.messageId()).putInt(message.contentType().code());
        if (trace == null) {
            buffer.putShort((short) -1);
        } else {
            buffer.putShort((short) trace.length).put(trace);
        }
        buffer.putLong(message.sentAt()).putLong(message.receivedAt());
        buffer.putInt(message.payload().length).put(message.payload());
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), start + 8, body);
        buffer.putInt(start, body).putInt(start + 4, (int) crc.getValue());
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
    static List<UpstreamMessage> read(Path segment) {
        List<UpstreamMessage> messages = new ArrayList<>();
        try (InputStream file = Files.newInputStream(segment);
             DataInputStream in = new DataInputStream(new BufferedInputStream(file, 64 * 1024))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new StoreException("Not an upstream journal: " + segment);
            }
            while (true) {
                int length = in.readInt();
                int crc = in.readInt();
                if (length <= 0 || length > MAX_BODY) {
                    break;
                }
                byte[] body = new byte[length];
                in.readFully(body);
                CRC32C check = new CRC32C();
                check.update(body);
                if ((int) check.getValue() != crc) {
                    break;
                }
                messages.add(decode(ByteBuffer.wrap(body)));
            }
        } catch (EOFException endOrTorn) {
            // the end, or a record the crash cut short: never synced, so never answered
        } catch (IOException e) {
            throw new StoreException("Could not read the upstream journal " + segment + ": " + e, e);
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
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*" + SUFFIX)) {
            for (Path file : files) {
                if (numberOf(file) > 0) {
                    found.add(file);
                }
            }
        } catch (IOException e) {
            throw new StoreException("Could not list the upstream journal in " + directory + ": " + e, e);
        }
        found.sort(Comparator.comparingLong(this::numberOf));
        return found;
    }

    private long numberOf(Path segment) {
        String name = segment.getFileName().toString();
        try {
            return Long.parseLong(name.substring(prefix.length(), name.length() - SUFFIX.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void delete(List<Path> segments) {
        for (Path segment : segments) {
            try {
                Files.deleteIfExists(segment);
            } catch (IOException e) {
                log.warn("Could not delete upstream journal segment {} (replayed at the next start): {}", segment,
                        e.toString());
            }
        }
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
