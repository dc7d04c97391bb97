package io.herald.server.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The HTTP API's keys and login policy: the options standalone and the cluster {@code api} role share. */
public final class DeviceApiOptions {

    @Option(names = "--api-key", defaultValue = "${env:HERALD_API_KEY}",
            description = "Key for the push and admin API (Authorization: Bearer KEY); default: environment variable"
                    + " HERALD_API_KEY (standalone generates and prints one when neither is set).")
    String apiKey;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "Read the API key from this file instead.")
    Path apiKeyFile;

    @Option(names = "--open-registration", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Let anyone register a device; --no-open-registration requires the API key "
                    + "(default: ${DEFAULT-VALUE}).")
    boolean openRegistration;

    @Option(names = "--token-ttl", defaultValue = "24h",
            description = "How long a login token is valid (default: ${DEFAULT-VALUE}).")
    Duration tokenTtl;

    @Option(names = "--secret-hash-iterations", defaultValue = "1000",
            description = "PBKDF2 iterations for device secrets (default: ${DEFAULT-VALUE}).")
    int secretHashIterations;

    /** The API key from {@code --api-key}, {@code --api-key-file} or the environment; null when none. */
    public String apiKey() {
        return Secrets.read(apiKey, apiKeyFile, "--api-key");
    }

    public boolean openRegistration() {
        return openRegistration;
    }

    public Duration tokenTtl() {
        return tokenTtl;
    }

    public int secretHashIterations() {
        return secretHashIterations;
    }
}
