package io.herald.api;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.ServerBuilder;
import io.herald.core.tls.TlsKeyMaterial;
import java.net.InetSocketAddress;

/** The API's listening port: plain HTTP, or HTTPS with the node's key and certificate, TLS 1.2 and 1.3 only. */
final class ApiTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ApiTls() {
    }

    /** @param tls the key and certificate chain, or null for plain HTTP */
    static void listen(ServerBuilder sb, InetSocketAddress address, TlsKeyMaterial tls) {
        if (tls == null) {
            sb.port(address, SessionProtocol.HTTP);
            return;
        }
        sb.port(address, SessionProtocol.HTTPS)
                .tls(tls.privateKey(), tls.certificateChain())
                .tlsCustomizer(ssl -> ssl.protocols(PROTOCOLS));
    }
}
