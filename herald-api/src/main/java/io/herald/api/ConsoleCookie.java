package io.herald.api;

import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.CookieBuilder;
import com.linecorp.armeria.common.RequestHeaders;
import java.time.Duration;

/**
 * The console's session cookie: HttpOnly (the page's scripts never see the id), SameSite=Strict (no other site's
 * page makes the browser send it), path {@code /} (the console calls {@code /api/v1} with it). Over HTTPS it is
 * Secure and named with the {@code __Host-} prefix, which browsers accept only Secure, host-only and on path
 * {@code /}: a sibling subdomain cannot plant one.
 */
final class ConsoleCookie {
    static final String PLAIN_NAME = "herald_console";
    static final String SECURE_NAME = "__Host-herald_console";

    private final boolean https;

    ConsoleCookie(boolean https) {
        this.https = https;
    }

    String name() {
        return https ? SECURE_NAME : PLAIN_NAME;
    }

    /** The session id the request carries, or null. */
    String sessionId(RequestHeaders headers) {
        for (Cookie cookie : headers.cookies()) {
            if (cookie.name().equals(name())) {
                return cookie.value();
            }
        }
        return null;
    }

    /** Sets the session; it lives in the browser no longer than the session can on the server. */
    String set(String sessionId) {
        return builder(sessionId).maxAge(ConsoleSessions.MAX_LIFETIME.toSeconds()).build().toSetCookieHeader();
    }

    /** Tells the browser to drop the cookie (sign-out). */
    String clear() {
        return builder("").maxAge(Duration.ZERO.toSeconds()).build().toSetCookieHeader();
    }

    private CookieBuilder builder(String value) {
        return Cookie.secureBuilder(name(), value).secure(https).httpOnly(true).sameSite("Strict").path("/");
    }
}
