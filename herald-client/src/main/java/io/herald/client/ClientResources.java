package io.herald.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.internal.ClientTls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * The heavy, shareable parts of the SDK: one Netty event loop group (which also runs every client's timers),
 * one {@link HttpClient}, a small pool for blocking work (DNS lookups, HTTP completions) and one Jackson
 * {@link ObjectMapper}, plus TLS contexts (and an HTTP client) for each distinct trust setting of the clients'
 * options. Create one per application — or per thousands of simulated devices — and pass it to every
 * {@link HeraldClient}. Closing it closes the clients still open.
 *
 * <p>Each client is pinned to one event loop of the group, where all its state lives, so a single group of a
 * few threads carries many thousands of clients.
 */
public final class ClientResources implements AutoCloseable {
    private static final Duration SHUTDOWN_QUIET_PERIOD = Duration.ZERO;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup eventLoopGroup;
    private final Class<? extends SocketChannel> socketChannelClass;
    private final boolean nativeTransport;
    private final ThreadPoolExecutor blockingExecutor;
    private final HttpClient httpClient;
    private final ObjectMapper objectMapper;
    private final SslContext configuredSslContext;
    private final Duration httpConnectTimeout;
    /** Built on first use and shared: thousands of clients usually have one TLS setting between them. */
    private final ConcurrentHashMap<ClientTls, SslContext> sslContexts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ClientTls, HttpClient> httpsClients = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Clients not yet stopped, so that {@link #close()} can close their sockets before the event loops go. */
    private final Set<HeraldClient> openClients = ConcurrentHashMap.newKeySet();

    private ClientResources(Builder b) {
        this.nativeTransport = b.preferNativeTransport && Epoll.isAvailable();
        IoHandlerFactory ioHandlerFactory = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.socketChannelClass = nativeTransport ? EpollSocketChannel.class : NioSocketChannel.class;
        this.eventLoopGroup = new MultiThreadIoEventLoopGroup(b.ioThreads,
                new DefaultThreadFactory("herald-client-io"), ioHandlerFactory);
        // Bounded, daemon and idle threads time out: the pool only serves short blocking tasks.
        this.blockingExecutor = new ThreadPoolExecutor(b.blockingThreads, b.blockingThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory("herald-client-blocking", true));
        this.blockingExecutor.allowCoreThreadTimeOut(true);
        this.httpConnectTimeout = b.httpConnectTimeout;
        this.httpClient = httpClientBuilder().build();
        this.objectMapper = b.objectMapper != null ? b.objectMapper : new ObjectMapper();
        this.configuredSslContext = b.sslContext;
    }

    /** Resources with the defaults: one I/O thread per core, epoll where available. */
    public static ClientResources create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The event loops that run every client's connection and timers. */
    public EventLoopGroup eventLoopGroup() {
        return eventLoopGroup;
    }

    public HttpClient httpClient() {
        return httpClient;
    }

    public ObjectMapper objectMapper() {
        return objectMapper;
    }

    /** True when the native epoll transport is in use, false for NIO. */
    public boolean usesNativeTransport() {
        return nativeTransport;
    }

    public boolean isClosed() {
        return closed.get();
    }

    Class<? extends SocketChannel> socketChannelClass() {
        return socketChannelClass;
    }

    void register(HeraldClient client) {
        openClients.add(client);
        if (closed.get()) {
            openClients.remove(client);
            throw new IllegalStateException("ClientResources are closed");
        }
    }

    void unregister(HeraldClient client) {
        openClients.remove(client);
    }

    ExecutorService blockingExecutor() {
        return blockingExecutor;
    }

    /**
     * TLS for gateway connections with this trust setting; for the JVM's default trust, the context given to the
     * builder if there is one.
     */
    SslContext sslContext(ClientTls tls) {
        if (configuredSslContext != null && tls.equals(ClientTls.JVM_DEFAULT)) {
            return configuredSslContext;
        }
        return sslContexts.computeIfAbsent(tls, setting -> {
            try {
                return setting.nettyContext();
            } catch (SSLException e) {
                throw new HeraldException("cannot create the TLS context: " + e.getMessage(), e);
            }
        });
    }

    /** The HTTP client for an API with this trust setting: the shared one for the JVM's default trust. */
    HttpClient httpClient(ClientTls tls) {
        if (tls.equals(ClientTls.JVM_DEFAULT)) {
            return httpClient;
        }
        return httpsClients.computeIfAbsent(tls, setting -> {
            try {
                return httpClientBuilder().sslContext(setting.jdkContext()).sslParameters(ClientTls.parameters())
                        .build();
            } catch (GeneralSecurityException e) {
                throw new HeraldException("cannot create the TLS context for HTTPS: " + e.getMessage(), e);
            }
        });
    }

    private HttpClient.Builder httpClientBuilder() {
        // HTTP/1.1: logins are small one-off requests; it spares an h2c upgrade round trip on http:// URLs.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(httpConnectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(blockingExecutor);
    }

    /**
     * Closes every client still open (waiting up to 5 s for their connections to close), then shuts the event
     * loops and the blocking pool down and waits (up to 5 s) for the I/O threads to end. Do not call it from a
     * listener callback: it would wait on the thread it blocks.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Shutting an event loop group down is not guaranteed to close its sockets: close the clients first.
        CompletableFuture<?>[] closing = openClients.stream().map(HeraldClient::closeAsync)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Best effort: the event loops go down regardless.
        }
        eventLoopGroup.shutdownGracefully(SHUTDOWN_QUIET_PERIOD.toMillis(), SHUTDOWN_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis() + 1000);
        blockingExecutor.shutdownNow();
    }

    /** Sizes of the shared pools and optional replacements for what the resources would create. */
    public static final class Builder {
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private int blockingThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private boolean preferNativeTransport = true;
        private Duration httpConnectTimeout = HeraldClientOptions.DEFAULT_CONNECT_TIMEOUT;
        private ObjectMapper objectMapper;
        private SslContext sslContext;

        private Builder() {
        }

        /** Event loop threads (default: one per core). */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1, was " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /** Threads for DNS lookups and HTTP completions (default: one per core, at least 2). */
        public Builder blockingThreads(int blockingThreads) {
            if (blockingThreads < 1) {
                throw new IllegalArgumentException("blockingThreads must be at least 1, was " + blockingThreads);
            }
            this.blockingThreads = blockingThreads;
            return this;
        }

        /** Use epoll when it is available (default true); false forces NIO. */
        public Builder preferNativeTransport(boolean preferNativeTransport) {
            this.preferNativeTransport = preferNativeTransport;
            return this;
        }

        /** TCP connect timeout of the shared HTTP client (default 10 s). */
        public Builder httpConnectTimeout(Duration httpConnectTimeout) {
            Objects.requireNonNull(httpConnectTimeout, "httpConnectTimeout");
            if (httpConnectTimeout.isNegative() || httpConnectTimeout.isZero()) {
                throw new IllegalArgumentException("httpConnectTimeout must be positive, was " + httpConnectTimeout);
            }
            this.httpConnectTimeout = httpConnectTimeout;
            return this;
        }

        /** An ObjectMapper to share instead of a new default one. */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        /** TLS settings for {@code wss://} gateways, e.g. to trust a private CA (default: the JDK's CAs). */
        public Builder sslContext(SslContext sslContext) {
            if (!Objects.requireNonNull(sslContext, "sslContext").isClient()) {
                throw new IllegalArgumentException("sslContext must be a client context");
            }
            this.sslContext = sslContext;
            return this;
        }

        public ClientResources build() {
            return new ClientResources(this);
        }
    }
}
