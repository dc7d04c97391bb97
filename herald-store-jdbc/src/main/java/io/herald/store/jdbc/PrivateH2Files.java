package io.herald.store.jdbc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 database private to the account that runs Herald: its directory mode 0700, its files 0600,
 * whatever the umask. H2 creates its files with the process's umask (0644 under the usual 022), and they hold
 * device secret hashes and every message payload.
 *
 * <p>The directory is created 0700, or narrowed to 0700 when it exists with more (a warning names the old mode):
 * then no other account can reach any file in it, including those H2 creates later (trace, temporary files).
 * The database's own files are set to 0600 once it is open, which also fixes files an older version left 0644.
 * On a file system without POSIX permissions (Windows) the directory is only created.
 */
public final class PrivateH2Files {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final String FILE_URL_PREFIX = "jdbc:h2:file:";

    private static final Logger log = LoggerFactory.getLogger(PrivateH2Files.class);

    private final Path directory;
    /** H2's files of this database all start with it: herald.mv.db, herald.trace.db, herald.123.temp.db, ... */
    private final String baseName;

    private PrivateH2Files(Path directory, String baseName) {
        this.directory = directory;
        this.baseName = baseName;
    }

    /**
     * For an H2 file URL with an absolute path (as {@link JdbcSettings#h2File} makes) on a POSIX file system; null
     * for anything else (nothing to protect, or no safe way to).
     */
    static PrivateH2Files forUrl(String jdbcUrl) {
        if (!jdbcUrl.startsWith(FILE_URL_PREFIX)
                || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        int options = jdbcUrl.indexOf(';');
        Path file = Path.of(jdbcUrl.substring(FILE_URL_PREFIX.length(),
                options < 0 ? jdbcUrl.length() : options));
        if (!file.isAbsolute()) {
            // JdbcSettings.h2File writes absolute paths; H2 reads others its own way (~ is the home directory,
            // ./ its base directory): leave a hand-written URL's files to its author rather than guess the place.
            return null;
        }
        return new PrivateH2Files(file.getParent(), file.getFileName().toString());
    }

    Path directory() {
        return directory;
    }

    /** What the names of this database's files start with ({@code herald} for herald.mv.db). */
    String baseName() {
        return baseName;
    }

    /** The write-ahead journal of the upstream archive, next to the database file. */
    UpstreamJournal upstreamJournal() {
        return UpstreamJournal.of(directory, baseName);
    }

    /** Before H2 opens the database: the directory exists and is 0700. */
    void prepareDirectory() {
        prepareDirectory(directory);
    }

    /**
     * Creates {@code directory} (and missing parents) or narrows it: afterwards it is 0700, on a POSIX file
     * system. For a data directory that a node writes to before it opens the database in it.
     *
     * @throws StoreException when it cannot be created or its permissions cannot be set
     */
    public static void prepareDirectory(Path directory) {
        try {
            boolean existed = Files.isDirectory(directory);
            Files.createDirectories(directory); // with the umask's mode: narrowed below
            if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(directory);
            if (!current.equals(DIRECTORY)) {
                Files.setPosixFilePermissions(directory, DIRECTORY);
                if (existed && current.stream().anyMatch(permission -> !DIRECTORY.contains(permission))) {
                    log.warn("Data directory {} was {}: narrowed to {} (it holds secret hashes and messages)",
                            directory, PosixFilePermissions.toString(current),
                            PosixFilePermissions.toString(DIRECTORY));
                }
            }
        } catch (IOException e) {
            throw new StoreException("Cannot create or protect the data directory " + directory + ": " + e, e);
        }
    }

    /** Once H2 has created its files: every file of this database is 0600. */
    void restrictFiles() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, baseName + ".*")) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(FILE)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        } catch (IOException e) {
            throw new StoreException("Cannot make the database files in " + directory + " private: " + e, e);
        }
    }
}
