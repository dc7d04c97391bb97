package io.herald.server.cli;

import io.herald.api.ApiLimits;
import io.herald.api.ApiSettings;
import io.herald.core.limit.AttemptLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The HTTP API's keys and login policy: the options standalone and the cluster {@code api} role share. */
public final class DeviceApiOptions {

    @Option(names = "--api-key",
            description = "Key for the push and admin API (Authorization: Bearer KEY); standalone generates and prints"
                    + " one when neither this nor --api-key-file is set.")
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

    @Option(names = "--login-failures-per-client", defaultValue = "10/5m", paramLabel = "COUNT/DURATION",
            converter = AttemptLimitConverter.class,
            description = "Failed logins per client id from one source address within a window; then 429 with"
                    + " Retry-After, even for the right secret, until the window ends. Per client id over all"
                    + " addresses ten times this. off = no limit (default: ${DEFAULT-VALUE}).")
    AttemptLimit loginFailuresPerClient;

    @Option(names = "--login-failures-per-address", defaultValue = "50/1m", paramLabel = "COUNT/DURATION",
            converter = AttemptLimitConverter.class,
            description = "Failed logins per source address within a window, over all client ids"
                    + " (default: ${DEFAULT-VALUE}).")
    AttemptLimit loginFailuresPerAddress;

    @Option(names = "--registrations-per-address", defaultValue = "100/1m", paramLabel = "COUNT/DURATION",
            converter = AttemptLimitConverter.class,
            description = "Registration attempts per source address within a window, while registration is open"
                    + " (default: ${DEFAULT-VALUE}).")
    AttemptLimit registrationsPerAddress;

    @Option(names = "--trusted-proxies", split = ",", paramLabel = "IP|CIDR",
            description = "Proxies (IP addresses or CIDR blocks, comma-separated) whose X-Forwarded-For names the"
                    + " source address for the per-address limits, e.g. the nginx in front; default: none, the"
                    + " header is ignored.")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--cors-origin", split = ",", paramLabel = "ORIGIN",
            description = "A web origin (scheme://host[:port], e.g. https://app.example.com) whose pages may call the"
                    + " device endpoints (login, registration) from a browser; repeatable or comma-separated; * allows"
                    + " any origin. The push and admin endpoints never allow cross-origin calls. Default: none.")
    List<String> corsOrigins = new ArrayList<>();

    /** Checks these options' ranges before anything starts; a refusal names its option. */
    public void check() {
        OptionCheck.between("--token-ttl", tokenTtl, Duration.ofSeconds(1), Duration.ofDays(365));
        OptionCheck.atLeast("--secret-hash-iterations", secretHashIterations, 1);
        limits();
        corsOrigins();
    }

    /** The web origins allowed to call the device endpoints, checked; a refused one names the option. */
    public List<String> corsOrigins() {
        return Setting.of("--cors-origin", () -> ApiSettings.checkCorsOrigins(corsOrigins));
    }

    /** The limits from these options; a refused value names its option. Counted per API node. */
    public ApiLimits limits() {
        return Setting.of("--trusted-proxies", () -> new ApiLimits(loginFailuresPerClient, loginFailuresPerAddress,
                registrationsPerAddress, trustedProxies));
    }

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
