package io.herald.core.security;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A standalone node's token keys, in a file of its data directory, so that tokens survive a restart. Generated
 * on the first start (one key, id 1); private to the owner (0600) like the database files, since whoever reads it
 * can mint tokens for every device. One key per line, {@code <id> <base64 key>}; lines starting with {@code #} are
 * comments. The <b>last</b> key signs new tokens, all of them are accepted.
 *
 * <p>Rotation: stop the node, append a line with a new id and 32 random bytes in base64
 * ({@code echo "2 $(head -c 32 /dev/urandom | base64)" >> token-keys}), start it; new tokens are signed with key 2,
 * tokens of key 1 still work. After the token TTL, delete the line of key 1: its tokens have expired. To refuse
 * every token at once (the file leaked), replace the file's content by a single new key: every device logs in again.
 */
public final class TokenKeyFile {
    public static final String FILE_NAME = "token-keys";
    private static final String HEADER = "# Herald device token keys, \"<id> <base64 key>\" per line: the last line"
            + " signs new tokens, every line is accepted. Keep this file private.\n";

    private TokenKeyFile() {
    }

    /** The keys in {@code directory}'s key file, created with one random key when it does not exist. */
    public static TokenKeyRing loadOrCreate(Path directory, SecureRandom random) {
        Path file = directory.resolve(FILE_NAME);
        return parse(file, PrivateFile.readOrCreate(file, "token key", () -> contentOf(TokenKey.random(1, random))));
    }

    private static String contentOf(TokenKey key) {
        return HEADER + key.id() + " " + Base64.getEncoder().encodeToString(key.secret()) + "\n";
    }

    static TokenKeyRing parse(Path file, List<String> lines) {
        List<TokenKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            try {
                if (fields.length != 2) {
                    throw new IllegalArgumentException("expected \"<id> <base64 key>\"");
                }
                keys.add(new TokenKey(Integer.parseInt(fields[0]), Base64.getDecoder().decode(fields[1])));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + " line " + (i + 1) + " is not a token key: " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException(file + " holds no token key; delete it to have a new one generated"
                    + " (every device then logs in again)");
        }
        return new TokenKeyRing(keys.get(keys.size() - 1), keys);
    }
}
