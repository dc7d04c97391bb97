package io.herald.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ServerCacheControl;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;
import java.time.Duration;

/**
 * The console's page and its built scripts and styles, from the classpath (the herald-console jar, where the
 * Vite build put them), under {@code /console/}. The page is never cached (a new build takes effect at once);
 * the assets carry a content hash in their names, so they are cached for good. Every answer forbids framing and
 * allows scripts, styles and requests from this origin only (no inline script can run, whatever a device id or
 * payload shown on the page contains).
 */
final class ConsoleAssets {
    static final String ROOT = "/console/";
    private static final String CLASSPATH_DIRECTORY = "herald-console";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    void bind(ServerBuilder sb) {
        ClassLoader loader = ConsoleAssets.class.getClassLoader();
        HttpService page = HttpFile.builder(loader, CLASSPATH_DIRECTORY + "/index.html")
                .cacheControl(ServerCacheControl.DISABLED).build().asService();
        HttpService assets = FileService.builder(loader, CLASSPATH_DIRECTORY + "/assets")
                .cacheControl(ServerCacheControl.builder().maxAge(Duration.ofDays(365)).immutable(true).build())
                .autoIndex(false)
                .build();
        DecoratingHttpServiceFunction securityHeaders = ConsoleAssets::withSecurityHeaders;
        sb.service("/console", (ctx, req) -> HttpResponse.ofRedirect(HttpStatus.MOVED_PERMANENTLY, ROOT));
        sb.service(ROOT, page.decorate(securityHeaders));
        sb.serviceUnder(ROOT + "assets/", assets.decorate(securityHeaders));
    }

    private static HttpResponse withSecurityHeaders(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
            throws Exception {
        ctx.addAdditionalResponseHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.addAdditionalResponseHeader("X-Frame-Options", "DENY");
        ctx.addAdditionalResponseHeader("X-Content-Type-Options", "nosniff");
        ctx.addAdditionalResponseHeader("Referrer-Policy", "no-referrer");
        ctx.addAdditionalResponseHeader(HttpHeaderNames.of("Cross-Origin-Opener-Policy"), "same-origin");
        return delegate.serve(ctx, req);
    }
}
