package io.herald.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Cross-origin access for the device endpoints (login, registration), so that a web page served from an allowed
 * origin can log a device in with {@code fetch}: Armeria's {@link CorsService} answers the browser's preflight and
 * adds the {@code Access-Control-Allow-*} headers. Only the origins the operator lists are allowed, none by default;
 * the push and admin endpoints never get CORS, as their API key must not live in a browser. No credentials
 * (cookies) are allowed: the device endpoints take the secret in the body.
 */
final class DeviceCors {
    /** Any origin; for development, or for devices that are all public pages. */
    static final String ANY_ORIGIN = "*";
    /** How long a browser may cache a preflight answer. */
    static final Duration PREFLIGHT_MAX_AGE = Duration.ofHours(1);

    private DeviceCors() {
    }

    /**
     * The decorator for a device endpoint, or null when no origin is allowed (then a preflight finds no CORS headers
     * and the browser refuses the call).
     */
    static Function<? super HttpService, CorsService> decorator(List<String> origins) {
        if (origins.isEmpty()) {
            return null;
        }
        CorsServiceBuilder builder = origins.contains(ANY_ORIGIN) ? CorsService.builderForAnyOrigin()
                : CorsService.builder(origins);
        return builder.allowRequestMethods(HttpMethod.POST)
                .allowRequestHeaders(HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.ACCEPT)
                // A 429 says when to come back; a page can read that only if it is exposed.
                .exposeHeaders(HttpHeaderNames.RETRY_AFTER)
                .maxAge(PREFLIGHT_MAX_AGE)
                .newDecorator();
    }

    /** Wraps {@code service} for cross-origin calls when origins are allowed; the service itself otherwise. */
    static HttpService decorate(HttpService service, List<String> origins) {
        Function<? super HttpService, CorsService> decorator = decorator(origins);
        return decorator == null ? service : service.decorate(decorator);
    }

    /**
     * Checks and normalises the allowed origins: each {@code *} or {@code http(s)://host[:port]} exactly as a
     * browser sends it in {@code Origin} (no path, no trailing slash); lower-cased.
     *
     * @throws IllegalArgumentException naming the first bad origin
     */
    static List<String> checkOrigins(List<String> origins) {
        List<String> checked = new ArrayList<>();
        for (String origin : List.copyOf(origins)) {
            String text = origin.trim().toLowerCase(Locale.ROOT);
            if (!text.equals(ANY_ORIGIN)) {
                checkOrigin(origin, text);
            }
            if (!checked.contains(text)) {
                checked.add(text);
            }
        }
        return List.copyOf(checked);
    }

    private static void checkOrigin(String origin, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw badOrigin(origin);
        }
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        boolean bare = uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null;
        if (!web || uri.getHost() == null || !bare) {
            throw badOrigin(origin);
        }
    }

    private static IllegalArgumentException badOrigin(String origin) {
        return new IllegalArgumentException("CORS origin '" + origin + "' is not scheme://host[:port] (http or https,"
                + " no path, e.g. https://app.example.com), nor * for any origin");
    }
}
