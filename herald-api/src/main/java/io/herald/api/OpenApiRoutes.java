package io.herald.api;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.HttpFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of this API, unauthenticated like the docs of any
 * public API. The document is a hand-maintained resource next to this class (JSON, so it is served byte for byte,
 * with no conversion and no YAML parser at run time); OpenApiDocumentTest keeps it in step with the bound routes.
 * Armeria's file service answers it with an ETag (a revalidation costs a 304) and an hour of public caching.
 */
final class OpenApiRoutes {
    static final String PATH = "/api/v1/openapi.json";
    static final String RESOURCE = "openapi.json";
    private static final String CACHE_CONTROL = "public, max-age=3600";

    private final HttpFile document;

    OpenApiRoutes() {
        this.document = HttpFile.builder(HttpData.wrap(load()))
                .contentType(MediaType.JSON_UTF_8)
                .cacheControl(CACHE_CONTROL)
                .build();
    }

    void bind(ServerBuilder sb) {
        sb.route().get(PATH).build(document.asService());
    }

    /** The document's bytes; a jar built without it is broken, so this fails the start instead of answering 404. */
    static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI description " + RESOURCE + " is missing from the "
                        + "class path next to " + OpenApiRoutes.class.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI description " + RESOURCE, e);
        }
    }
}
