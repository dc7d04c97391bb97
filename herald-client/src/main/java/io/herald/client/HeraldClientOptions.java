package io.herald.client;

import io.herald.client.internal.TrustedCertificates;
import io.herald.protocol.Wire;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything one {@link HeraldClient} needs to know: who it is, where to log in, and how patient to be.
 * Immutable; build with {@link #builder()}. Only {@code apiUrl}, {@code clientId} and {@code secret} are
 * required, every other setting has a {@code DEFAULT_*} value chosen for a device on a flaky mobile link.
 */
public final class HeraldClientOptions {
    public static final Transport DEFAULT_TRANSPORT = Transport.TCP;
    /** Covers TCP connect, the WebSocket handshake and the AUTH exchange of one attempt. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);
    public static final double DEFAULT_RECONNECT_MULTIPLIER = 2.0;
    public static final Jitter DEFAULT_RECONNECT_JITTER = Jitter.FULL;
    public static final int DEFAULT_RELOGIN_AFTER_FAILURES = 3;
    public static final int DEFAULT_MAX_UNACKED_MESSAGES = 10_000;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(30);
    public static final int DEFAULT_DUPLICATE_WINDOW = 10_000;
    public static final int DEFAULT_MAX_FRAME_BODY_LENGTH = Wire.DEFAULT_MAX_BODY_LENGTH;
    public static final TlsMode DEFAULT_TLS = TlsMode.AUTO;
    public static final boolean DEFAULT_TLS_HOSTNAME_VERIFICATION = true;

    // The server's rule for client ids (herald-core ClientIds), checked here so that a typo fails at build()
    // with a clear message instead of as an HTTP 400 at the first login.
    private static final int MAX_CLIENT_ID_LENGTH = 128;
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_CLIENT_ID_LENGTH + "}");

    private final URI apiUrl;
    private final String clientId;
    private final String secret;
    private final boolean registerIfMissing;
    private final Transport transport;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final double reconnectMultiplier;
    private final Jitter reconnectJitter;
    private final int reloginAfterFailures;
    private final int maxUnackedMessages;
    private final Duration ackTimeout;
    private final Duration retryInitialDelay;
    private final Duration retryMaxDelay;
    private final int duplicateWindow;
    private final int maxFrameBodyLength;
    private final TlsMode tls;
    private final Path tlsTrust;
    private final List<X509Certificate> tlsTrustedCertificates;
    private final boolean tlsHostnameVerification;

    private HeraldClientOptions(Builder b, List<X509Certificate> trustedCertificates) {
        this.apiUrl = b.apiUrl;
        this.clientId = b.clientId;
        this.secret = b.secret;
        this.registerIfMissing = b.registerIfMissing;
        this.transport = b.transport;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.reconnectInitialDelay = b.reconnectInitialDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.reconnectMultiplier = b.reconnectMultiplier;
        this.reconnectJitter = b.reconnectJitter;
        this.reloginAfterFailures = b.reloginAfterFailures;
        this.maxUnackedMessages = b.maxUnackedMessages;
        this.ackTimeout = b.ackTimeout;
        this.retryInitialDelay = b.retryInitialDelay;
        this.retryMaxDelay = b.retryMaxDelay;
        this.duplicateWindow = b.duplicateWindow;
        this.maxFrameBodyLength = b.maxFrameBodyLength;
        this.tls = b.tls;
        this.tlsTrust = b.tlsTrust;
        this.tlsTrustedCertificates = trustedCertificates;
        this.tlsHostnameVerification = b.tlsHostnameVerification;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive a variant (another client id, say). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Base URL of the HTTP API, e.g. {@code http://127.0.0.1:8080}; {@code /api/v1/...} is appended. */
    public URI apiUrl() {
        return apiUrl;
    }

    public String clientId() {
        return clientId;
    }

    public String secret() {
        return secret;
    }

    /** Whether {@code start()} registers the device (POST /api/v1/devices) before the first login. */
    public boolean registerIfMissing() {
        return registerIfMissing;
    }

    public Transport transport() {
        return transport;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Timeout of each HTTP call (register, login). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration reconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public double reconnectMultiplier() {
        return reconnectMultiplier;
    }

    public Jitter reconnectJitter() {
        return reconnectJitter;
    }

    /** After this many consecutive failed connection attempts the client logs in again (maybe a new gateway). */
    public int reloginAfterFailures() {
        return reloginAfterFailures;
    }

    /** Upstream messages kept while waiting for their ACK; beyond this {@code send()} fails at once. */
    public int maxUnackedMessages() {
        return maxUnackedMessages;
    }

    /** How long a sent upstream message waits for its ACK on a live connection before it is resent. */
    public Duration ackTimeout() {
        return ackTimeout;
    }

    /** First delay before resending a message the server answered with ACK RETRY; doubles per RETRY. */
    public Duration retryInitialDelay() {
        return retryInitialDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    /** How many recent downstream message ids are remembered to drop redeliveries. */
    public int duplicateWindow() {
        return duplicateWindow;
    }

    /** Largest frame body accepted from the server, and the limit for an upstream payload plus its header. */
    public int maxFrameBodyLength() {
        return maxFrameBodyLength;
    }

    /** Whether the gateway connection uses TLS: {@link TlsMode#AUTO} follows the login answer. */
    public TlsMode tls() {
        return tls;
    }

    /**
     * The PEM file of certificates (a CA, or the server's own certificate) that HTTPS and the gateway's TLS are
     * checked against; null: the JVM's default trust store.
     */
    public Path tlsTrust() {
        return tlsTrust;
    }

    /** The certificates read from {@link #tlsTrust()}; empty when the JVM's trust store is used. */
    List<X509Certificate> tlsTrustedCertificates() {
        return tlsTrustedCertificates;
    }

    /** Whether a server certificate must name the host connected to (on by default; off only for testing). */
    public boolean tlsHostnameVerification() {
        return tlsHostnameVerification;
    }

    @Override
    public String toString() {
        return "HeraldClientOptions[apiUrl=" + apiUrl + ", clientId=" + clientId + ", secret=<redacted>"
                + ", registerIfMissing=" + registerIfMissing + ", transport=" + transport
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", reconnect=" + reconnectInitialDelay + ".." + reconnectMaxDelay + " x" + reconnectMultiplier
                + " " + reconnectJitter + ", reloginAfterFailures=" + reloginAfterFailures
                + ", maxUnackedMessages=" + maxUnackedMessages + ", ackTimeout=" + ackTimeout
                + ", retry=" + retryInitialDelay + ".." + retryMaxDelay + ", duplicateWindow=" + duplicateWindow
                + ", maxFrameBodyLength=" + maxFrameBodyLength + ", tls=" + tls + ", tlsTrust="
                + (tlsTrust == null ? "<jvm default>" : tlsTrust)
                + ", tlsHostnameVerification=" + tlsHostnameVerification + "]";
    }

    /** Collects settings; {@link #build()} checks them all and names the first one that is wrong. */
    public static final class Builder {
        private URI apiUrl;
        private String clientId;
        private String secret;
        private boolean registerIfMissing;
        private Transport transport = DEFAULT_TRANSPORT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private double reconnectMultiplier = DEFAULT_RECONNECT_MULTIPLIER;
        private Jitter reconnectJitter = DEFAULT_RECONNECT_JITTER;
        private int reloginAfterFailures = DEFAULT_RELOGIN_AFTER_FAILURES;
        private int maxUnackedMessages = DEFAULT_MAX_UNACKED_MESSAGES;
        private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
        private Duration retryInitialDelay = DEFAULT_RETRY_INITIAL_DELAY;
        private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
        private int duplicateWindow = DEFAULT_DUPLICATE_WINDOW;
        private int maxFrameBodyLength = DEFAULT_MAX_FRAME_BODY_LENGTH;
        private TlsMode tls = DEFAULT_TLS;
        private Path tlsTrust;
        private boolean tlsHostnameVerification = DEFAULT_TLS_HOSTNAME_VERIFICATION;

        private Builder() {
        }

        private Builder(HeraldClientOptions o) {
            apiUrl = o.apiUrl;
            clientId = o.clientId;
            secret = o.secret;
            registerIfMissing = o.registerIfMissing;
            transport = o.transport;
            connectTimeout = o.connectTimeout;
            requestTimeout = o.requestTimeout;
            reconnectInitialDelay = o.reconnectInitialDelay;
            reconnectMaxDelay = o.reconnectMaxDelay;
            reconnectMultiplier = o.reconnectMultiplier;
            reconnectJitter = o.reconnectJitter;
            reloginAfterFailures = o.reloginAfterFailures;
            maxUnackedMessages = o.maxUnackedMessages;
            ackTimeout = o.ackTimeout;
            retryInitialDelay = o.retryInitialDelay;
            retryMaxDelay = o.retryMaxDelay;
            duplicateWindow = o.duplicateWindow;
            maxFrameBodyLength = o.maxFrameBodyLength;
            tls = o.tls;
            tlsTrust = o.tlsTrust;
            tlsHostnameVerification = o.tlsHostnameVerification;
        }

        /** Base URL of the HTTP API; must be an absolute {@code http://} or {@code https://} URL. */
        public Builder apiUrl(String apiUrl) {
            Objects.requireNonNull(apiUrl, "apiUrl");
            try {
                return apiUrl(new URI(apiUrl.trim()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("apiUrl is not a valid URL: '" + apiUrl + "' (" + e.getReason()
                        + ")", e);
            }
        }

        public Builder apiUrl(URI apiUrl) {
            this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        public Builder registerIfMissing(boolean registerIfMissing) {
            this.registerIfMissing = registerIfMissing;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder reconnectInitialDelay(Duration reconnectInitialDelay) {
            this.reconnectInitialDelay = reconnectInitialDelay;
            return this;
        }

        public Builder reconnectMaxDelay(Duration reconnectMaxDelay) {
            this.reconnectMaxDelay = reconnectMaxDelay;
            return this;
        }

        public Builder reconnectMultiplier(double reconnectMultiplier) {
            this.reconnectMultiplier = reconnectMultiplier;
            return this;
        }

        public Builder reconnectJitter(Jitter reconnectJitter) {
            this.reconnectJitter = reconnectJitter;
            return this;
        }

        public Builder reloginAfterFailures(int reloginAfterFailures) {
            this.reloginAfterFailures = reloginAfterFailures;
            return this;
        }

        public Builder maxUnackedMessages(int maxUnackedMessages) {
            this.maxUnackedMessages = maxUnackedMessages;
            return this;
        }

        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        public Builder retryInitialDelay(Duration retryInitialDelay) {
            this.retryInitialDelay = retryInitialDelay;
            return this;
        }

        public Builder retryMaxDelay(Duration retryMaxDelay) {
            this.retryMaxDelay = retryMaxDelay;
            return this;
        }

        public Builder duplicateWindow(int duplicateWindow) {
            this.duplicateWindow = duplicateWindow;
            return this;
        }

        public Builder maxFrameBodyLength(int maxFrameBodyLength) {
            this.maxFrameBodyLength = maxFrameBodyLength;
            return this;
        }

        /** TLS for the gateway connection: AUTO (default) as the login answer says, ON always, OFF never. */
        public Builder tls(TlsMode tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Trust only the certificates in this PEM file (a private CA, or a self-signed server certificate) for
         * the HTTPS API and the gateway's TLS; null (default) trusts the JVM's default trust store.
         */
        public Builder tlsTrust(Path pemFile) {
            this.tlsTrust = pemFile;
            return this;
        }

        /** Whether the server's certificate must name the host connected to (default true). */
        public Builder tlsHostnameVerification(boolean verify) {
            this.tlsHostnameVerification = verify;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is missing or out of range */
        public HeraldClientOptions build() {
            checkApiUrl();
            if (clientId == null || clientId.isEmpty()) {
                throw new IllegalArgumentException("clientId is required");
            }
            if (!CLIENT_ID.matcher(clientId).matches() || clientId.equals(".") || clientId.equals("..")) {
                throw new IllegalArgumentException("clientId must be 1-" + MAX_CLIENT_ID_LENGTH
                        + " characters from letters, digits and . _ - : @ (not \".\" or \"..\"), was '"
                        + clientId + "'");
            }
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("secret is required");
            }
            if (transport == null) {
                throw new IllegalArgumentException("transport is required (TCP or WEBSOCKET)");
            }
            if (reconnectJitter == null) {
                throw new IllegalArgumentException("reconnectJitter is required (FULL or DECORRELATED)");
            }
            checkPositive("connectTimeout", connectTimeout);
            checkPositive("requestTimeout", requestTimeout);
            checkPositive("reconnectInitialDelay", reconnectInitialDelay);
            checkPositive("reconnectMaxDelay", reconnectMaxDelay);
            checkOrdered("reconnectInitialDelay", reconnectInitialDelay, "reconnectMaxDelay", reconnectMaxDelay);
            if (!(reconnectMultiplier >= 1.0) || Double.isInfinite(reconnectMultiplier)) {
                throw new IllegalArgumentException("reconnectMultiplier must be a finite number >= 1.0, was "
                        + reconnectMultiplier);
            }
            checkAtLeastOne("reloginAfterFailures", reloginAfterFailures);
            checkAtLeastOne("maxUnackedMessages", maxUnackedMessages);
            checkPositive("ackTimeout", ackTimeout);
            checkPositive("retryInitialDelay", retryInitialDelay);
            checkPositive("retryMaxDelay", retryMaxDelay);
            checkOrdered("retryInitialDelay", retryInitialDelay, "retryMaxDelay", retryMaxDelay);
            checkAtLeastOne("duplicateWindow", duplicateWindow);
            if (maxFrameBodyLength < 1 || maxFrameBodyLength > Wire.HARD_MAX_BODY_LENGTH) {
                throw new IllegalArgumentException("maxFrameBodyLength must be between 1 and "
                        + Wire.HARD_MAX_BODY_LENGTH + ", was " + maxFrameBodyLength);
            }
            if (tls == null) {
                throw new IllegalArgumentException("tls is required (AUTO, ON or OFF)");
            }
            // Read here, so that a wrong file fails build() and not the first connection.
            return new HeraldClientOptions(this, tlsTrust == null ? List.of() : TrustedCertificates.read(tlsTrust));
        }

        private void checkApiUrl() {
            if (apiUrl == null) {
                throw new IllegalArgumentException("apiUrl is required (e.g. http://127.0.0.1:8080)");
            }
            String scheme = apiUrl.getScheme() == null ? null : apiUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || apiUrl.getHost() == null) {
                throw new IllegalArgumentException("apiUrl must be an absolute http:// or https:// URL with a host,"
                        + " was '" + apiUrl + "'");
            }
            if (apiUrl.getQuery() != null || apiUrl.getFragment() != null) {
                throw new IllegalArgumentException("apiUrl must not have a query or fragment, was '" + apiUrl + "'");
            }
        }

        private static void checkPositive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
            }
        }

        private static void checkOrdered(String lowName, Duration low, String highName, Duration high) {
            if (low.compareTo(high) > 0) {
                throw new IllegalArgumentException(lowName + " (" + low + ") must not exceed " + highName
                        + " (" + high + ")");
            }
        }

        private static void checkAtLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
        }
    }
}
