package io.herald.gateway.tls;

import io.herald.core.security.PrivateFile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A standalone node's {@link TicketSecret}, in a file of its data directory, so that devices resume their TLS
 * sessions after a restart. Generated on the first start ({@value TicketSecret#LENGTH} random bytes, Base64 on one
 * line; lines starting with {@code #} are comments) and private to the owner (0600), like the token keys: whoever
 * reads it can open every ticket the node ever issued (docs/reliability.md, "TLS session resumption").
 *
 * <p>To replace it (it leaked, or as a routine): stop the node, delete the file, start it; a new secret is made and
 * every device does one full handshake.
 */
public final class TicketSecretFile {
    public static final String FILE_NAME = "tls-ticket-secret";
    private static final String HEADER = "# Herald TLS session ticket secret (Base64). Keep this file private;"
            + " delete it to make a new one.\n";

    private TicketSecretFile() {
    }

    /** The secret in {@code directory}'s file, created with a random secret when it does not exist. */
    public static TicketSecret loadOrCreate(Path directory, SecureRandom random) {
        Path file = directory.resolve(FILE_NAME);
        return parse(file, PrivateFile.readOrCreate(file, "TLS ticket secret", () -> {
            byte[] secret = new byte[TicketSecret.LENGTH];
            random.nextBytes(secret);
            return HEADER + Base64.getEncoder().encodeToString(secret) + "\n";
        }));
    }

    static TicketSecret parse(Path file, List<String> lines) {
        List<String> values = lines.stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        if (values.size() != 1) {
            throw new IllegalStateException(file + " must hold one Base64 line, has " + values.size()
                    + "; delete it to have a new secret made (every device then does one full TLS handshake)");
        }
        try {
            return TicketSecret.of(Base64.getDecoder().decode(values.get(0)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not a TLS ticket secret: " + e.getMessage()
                    + "; delete it to have a new one made");
        }
    }
}
