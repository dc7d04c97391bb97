package io.herald.client.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One TLS setting of the SDK and the two contexts made from it: Netty's for gateway connections, the JDK's for the
 * HTTP calls, so that both trust the same certificates. Equal settings are equal keys: {@code ClientResources}
 * builds each context once however many clients share the setting. TLS 1.2 and 1.3 only.
 *
 * @param trusted        the certificates (CAs, or the server's own) to trust; empty: the JVM's default trust store
 * @param verifyHostname whether the server's certificate must name the host connected to (endpoint
 *                       identification "HTTPS"); the chain is checked either way
 */
public record ClientTls(List<X509Certificate> trusted, boolean verifyHostname) {
    /** The JVM's trust store, hostnames checked: what a browser does. */
    public static final ClientTls JVM_DEFAULT = new ClientTls(List.of(), true);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    public ClientTls {
        trusted = List.copyOf(trusted);
    }

    /**
     * For gateway connections. The JDK engine, not OpenSSL: a device opens one connection, and the JDK's trust
     * manager then sees the engine's endpoint identification directly.
     */
    public SslContext nettyContext() throws SSLException {
        X509ExtendedTrustManager trustManager;
        try {
            trustManager = trustManager();
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot set up the trusted certificates: " + e.getMessage(), e);
        }
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .trustManager(trustManager)
                .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null)
                .build();
    }

    /** For {@code java.net.http.HttpClient}, which checks hostnames through the trust manager. */
    public SSLContext jdkContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustManager()}, null);
        return context;
    }

    /** The protocols both contexts allow, for {@code HttpClient.Builder.sslParameters}. */
    public static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        return parameters;
    }

    private X509ExtendedTrustManager trustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted.isEmpty() ? null : keyStore());
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return verifyHostname ? x509 : new ChainOnly(x509);
            }
        }
        throw new KeyStoreException("the JVM offers no X.509 trust manager");
    }

    private KeyStore keyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new KeyStoreException("cannot create an empty key store", e);
        }
        for (int i = 0; i < trusted.size(); i++) {
            store.setCertificateEntry("trusted-" + i, trusted.get(i));
        }
        return store;
    }

    /**
     * Checks the chain but not the name: the JDK's trust manager checks the host only when it is handed the
     * connection (socket or engine), and this one never hands it on.
     */
    private static final class ChainOnly extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        ChainOnly(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
