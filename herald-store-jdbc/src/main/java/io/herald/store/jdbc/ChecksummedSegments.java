package io.herald.store.jdbc;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbered append-only segment files of checksummed records, next to an embedded database: what a write-ahead
 * log needs from the file system, without knowing what its records mean.
 *
 * <p>Files: {@code <prefix><n><suffix>}, 0600 (in the 0700 data directory), each starting with a magic string so
 * that a file of another kind or version is refused rather than misread. Record:
 * {@code int length, int crc32c(body), body}. Reading stops at the first record that is cut short or whose
 * checksum fails: a crash mid-append leaves such a tail, and since it was never synced it was never answered. A
 * length of zero ends the records quietly: a segment written full of zeros first ({@link UpstreamJournal}) ends so.
 *
 * <p>Used by the upstream journal and the in-flight log, which differ only in what their records mean.
 */
final class ChecksummedSegments {
    /** Bytes before each body: its length and its CRC-32C. */
    static final int HEADER = 8;
    private static final Logger log = LoggerFactory.getLogger(ChecksummedSegments.class);

    private final Path directory;
    private final String prefix;
    private final String suffix;
    private final byte[] magic;
    private final int maxBody;

    ChecksummedSegments(Path directory, String prefix, String suffix, byte[] magic, int maxBody) {
        this.directory = directory;
        this.prefix = prefix;
        this.suffix = suffix;
        this.magic = magic.clone();
        this.maxBody = maxBody;
    }

    Path directory() {
        return directory;
    }

    /** An open segment being appended to. */
    record Segment(Path path, FileChannel channel) {
    }

    /**
     * Creates segment {@code number} (or the next free number after it), writes the magic string and syncs the
     * directory: the new file's entry must survive a power loss too, or its synced records would be lost with it.
     */
    Segment create(long number) throws IOException {
        for (long n = number; ; n++) {
            Path path = directory.resolve(prefix + n + suffix);
            try {
                FileChannel channel = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                        ? FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                                PosixFilePermissions.asFileAttribute(PrivateH2Files.FILE))
                        : FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                channel.write(ByteBuffer.wrap(magic));
                syncDirectory();
                return new Segment(path, channel);
            } catch (FileAlreadyExistsException taken) {
                // left by an earlier open in this JVM: take the next number
            }
        }
    }

    /**
     * Writes the header of the record whose body was put into {@code buffer} (a heap buffer) from
     * {@code start + HEADER} to its position; the caller reserved the header's bytes at {@code start}.
     */
    static void seal(ByteBuffer buffer, int start) {
        int body = buffer.position() - start - HEADER;
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), buffer.arrayOffset() + start + HEADER, body);
        buffer.putInt(start, body).putInt(start + 4, (int) crc.getValue());
    }

    /** The bodies of a segment's records, up to the first one that is cut short or damaged. */
    List<ByteBuffer> read(Path segment) {
        List<ByteBuffer> bodies = new ArrayList<>();
        long intact = magic.length;
        boolean zeroEnd = false;
        try (InputStream file = Files.newInputStream(segment);
             DataInputStream in = new DataInputStream(new BufferedInputStream(file, 64 * 1024))) {
            byte[] found = new byte[magic.length];
            in.readFully(found);
            if (!Arrays.equals(found, magic)) {
                throw new StoreException("Not a " + prefix + "*" + suffix + " segment (wrong magic): " + segment);
            }
            while (true) {
                int length = in.readInt();
                int crc = in.readInt();
                if (length == 0 && crc == 0) {
                    zeroEnd = true; // the preallocated rest of the file
                    break;
                }
                if (length < 0 || length > maxBody) {
                    break;
                }
                byte[] body = new byte[length];
                in.readFully(body);
                CRC32C check = new CRC32C();
                check.update(body);
                if ((int) check.getValue() != crc) {
                    break;
                }
                bodies.add(ByteBuffer.wrap(body));
                intact += HEADER + length;
            }
        } catch (EOFException endOrTorn) {
            // the end, or a record the crash cut short
        } catch (IOException e) {
            throw new StoreException("Could not read " + segment + ": " + e, e);
        }
        long size = sizeOf(segment);
        if (!zeroEnd && size > intact) {
            log.warn("{}: the last {} byte(s) are cut short or damaged (a crash while appending); ignored", segment,
                    size - intact);
        }
        return bodies;
    }

    private static long sizeOf(Path segment) {
        try {
            return Files.size(segment);
        } catch (IOException e) {
            return -1;
        }
    }

    /** This log's segments, oldest first. */
    List<Path> list() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*" + suffix)) {
            for (Path file : files) {
                if (numberOf(file) > 0) {
                    found.add(file);
                }
            }
        } catch (IOException e) {
            throw new StoreException("Could not list " + prefix + "*" + suffix + " in " + directory + ": " + e, e);
        }
        found.sort(Comparator.comparingLong(this::numberOf));
        return found;
    }

    /** One more than the highest segment number in the directory. */
    long nextNumber() {
        return list().stream().mapToLong(this::numberOf).max().orElse(0) + 1;
    }

    long numberOf(Path segment) {
        String name = segment.getFileName().toString();
        try {
            return Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Deletes the segments, then syncs the directory so that the deletion itself survives a power loss.
     *
     * @throws StoreException when one cannot be deleted: its records would come back at the next start
     */
    void delete(List<Path> segments) {
        try {
            for (Path segment : segments) {
                Files.deleteIfExists(segment);
            }
        } catch (IOException e) {
            throw new StoreException("Could not delete a log segment in " + directory + ": " + e, e);
        }
        syncDirectory();
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the file's own sync is then all there is.
            log.debug("Could not sync directory {}: {}", directory, e.toString());
        }
    }
}
