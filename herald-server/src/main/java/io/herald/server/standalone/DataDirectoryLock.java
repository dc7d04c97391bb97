package io.herald.server.standalone;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Claims a standalone data directory for this process, so that a second server started on the same directory is
 * refused with one line naming it, before it opens the database (H2 would answer with a stack trace) or binds a
 * port. The operating system drops the lock when the process dies, even on SIGKILL: no stale lock to clean up.
 * The file is empty and private to the owner, like the database files.
 */
public final class DataDirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "herald.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws IllegalStateException when another process (or this one) holds the directory, or it cannot be created
     */
    public static DataDirectoryLock acquire(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DataDirectoryLock(channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM: the same answer
        } catch (IOException e) {
            throw new IllegalStateException("--data-dir " + directory.toAbsolutePath() + " cannot be used: " + e, e);
        }
        closeQuietly(channel);
        throw new IllegalStateException("--data-dir " + directory.toAbsolutePath()
                + " is in use by another Herald server; stop it or pass another --data-dir");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held any more
        }
    }
}
