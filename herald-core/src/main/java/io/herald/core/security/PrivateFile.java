package io.herald.core.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes a file of secrets in a node's data directory: readable by the owner only (0600, like the database files)
 * from its first byte, and complete or absent, never half written. Also the load-or-create of such a file, which a
 * node makes at its first start and reads at every start after.
 */
public final class PrivateFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFile() {
    }

    /**
     * The lines of {@code file} (ASCII), first creating it with {@code initialContent} when it does not exist.
     *
     * @param what what the file holds, for the error message ("token key" makes "the token key file")
     * @throws UncheckedIOException naming the file when it can be neither read nor created
     */
    public static List<String> readOrCreate(Path file, String what, Supplier<String> initialContent) {
        try {
            if (!Files.exists(file)) {
                create(file, initialContent.get());
            }
            return Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the " + what + " file " + file + ": " + e, e);
        }
    }

    /** Creates {@code file} holding {@code content} (ASCII), replacing any file of that name. */
    public static void create(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        // Private before anything is written into it: there is no moment when another user could open it.
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(temporary);
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        // A rename is atomic: a crash leaves no half-written file that would be read as the secret. The data
        // directory's lock keeps a second process from creating one at the same time.
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
