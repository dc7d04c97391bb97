package io.herald.cluster.redis;

import io.herald.core.time.Durations;
import io.herald.core.tls.PemFiles;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the cluster's Redis is and how Herald uses it, validated once at start-up.
 *
 * @param uri            a Lettuce Redis URI: {@code redis://[user:password@]host[:port][/database]}, or
 *                       {@code rediss://} for TLS. Never printed with its password by {@link #toString()}.
 * @param keyPrefix      put in front of every key Herald writes, so several installations (or a test) can share one
 *                       Redis; letters, digits and {@code :_.-} only, so keys stay readable in {@code redis-cli}
 * @param commandTimeout how long one command may take, queueing during a reconnect included, before its future
 *                       fails with a timeout
 * @param tlsTrust       with {@code rediss://}: a PEM file of the certificates (CA or the server's own) to trust
 *                       instead of the JVM's trust store; null for the JVM's. Either way the server's certificate
 *                       must name the host of the URI.
 */
public record RedisSettings(String uri, String keyPrefix, Duration commandTimeout, Path tlsTrust) {
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379/0";
    public static final String DEFAULT_KEY_PREFIX = "herald:";
    /**
     * Long enough to ride out a Redis failover or restart of a second or two (commands wait in the reconnect
     * buffer), short enough that a device's AUTH fails well within the gateway's auth timeout.
     */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(3);
    /** Beyond this a caller would be stuck for minutes on a dead Redis: almost certainly a unit mistake. */
    public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(1);

    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9:_.\\-]{1,64}");
    private static final Pattern URI_USER_INFO = Pattern.compile("(?<=://)[^@/]*@");

    public RedisSettings {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("redis uri is required, e.g. " + DEFAULT_URI);
        }
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            throw new IllegalArgumentException(
                    "redis uri must start with redis:// or rediss://, was '" + redact(uri) + "'");
        }
        try {
            RedisURI.create(uri);
        } catch (IllegalArgumentException e) {
            // Lettuce's message may quote the raw URI, password included; the cause is dropped for the same reason.
            String reason = String.valueOf(e.getMessage()).replace(uri, redact(uri));
            throw new IllegalArgumentException("redis uri '" + redact(uri) + "' is not valid: " + reason);
        }
        if (keyPrefix == null || !KEY_PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("redis key prefix must be 1-64 letters, digits or ':_.-', was '"
                    + keyPrefix + "' (default " + DEFAULT_KEY_PREFIX + ")");
        }
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero() || commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "redis command timeout must be above 0 and at most " + Durations.format(MAX_COMMAND_TIMEOUT)
                            + ", was " + Durations.format(commandTimeout));
        }
        if (tlsTrust != null) {
            if (!uri.startsWith("rediss://")) {
                throw new IllegalArgumentException("a redis TLS trust file needs a rediss:// uri, was '"
                        + redact(uri) + "'");
            }
            PemFiles.readCertificates(tlsTrust); // refused now, with the file's fault, rather than at each connect
        }
    }

    /** The default prefix and timeout with the given URI. */
    public static RedisSettings of(String uri) {
        return new RedisSettings(uri, DEFAULT_KEY_PREFIX, DEFAULT_COMMAND_TIMEOUT, null);
    }

    /** Redis on this host, port 6379, database 0, with every default. */
    public static RedisSettings defaults() {
        return of(DEFAULT_URI);
    }

    public RedisSettings withKeyPrefix(String prefix) {
        return new RedisSettings(uri, prefix, commandTimeout, tlsTrust);
    }

    public RedisSettings withCommandTimeout(Duration timeout) {
        return new RedisSettings(uri, keyPrefix, timeout, tlsTrust);
    }

    /** Trusts the certificates in this PEM file (null: the JVM's trust store) for a {@code rediss://} uri. */
    public RedisSettings withTlsTrust(Path trust) {
        return new RedisSettings(uri, keyPrefix, commandTimeout, trust);
    }

    /** The parsed URI, with this record's command timeout; with TLS the peer is always verified, name included. */
    public RedisURI redisUri() {
        RedisURI parsed = RedisURI.create(uri);
        parsed.setTimeout(commandTimeout);
        if (parsed.isSsl()) {
            parsed.setVerifyPeer(SslVerifyMode.FULL);
        }
        return parsed;
    }

    /** The URI with any user and password masked, fit for logs and error messages. */
    public String redactedUri() {
        return redact(uri);
    }

    private static String redact(String uri) {
        return URI_USER_INFO.matcher(uri).replaceFirst("***@");
    }

    @Override
    public String toString() {
        return "RedisSettings[uri=" + redactedUri() + ", keyPrefix=" + keyPrefix + ", commandTimeout="
                + commandTimeout + (tlsTrust == null ? "" : ", tlsTrust=" + tlsTrust) + "]";
    }
}
