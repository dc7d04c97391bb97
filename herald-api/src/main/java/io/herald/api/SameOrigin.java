package io.herald.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Whether a browser request comes from a page of this same host: its {@code Origin} names the host and port the
 * request was sent to ({@code Host}, which a reverse proxy passes on; the scheme is left out, as a proxy may end
 * TLS). Browsers send {@code Origin} on every cross-site request and on every same-site one but GET and HEAD.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    /** @param originRequired refuse a request without {@code Origin} (the sign-in form, which browsers always send) */
    static boolean allows(RequestHeaders headers, boolean originRequired) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return !originRequired;
        }
        String authority = headers.authority();
        if (authority == null || origin.equals("null")) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            String originAuthority = uri.getRawAuthority();
            return originAuthority != null && originAuthority.equalsIgnoreCase(withoutDefaultPort(authority,
                    uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Browsers leave the default port out of Origin; some clients put it in Host. */
    private static String withoutDefaultPort(String authority, String scheme) {
        String defaultPort = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
        return authority.endsWith(defaultPort) ? authority.substring(0, authority.length() - defaultPort.length())
                : authority;
    }
}
