package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.server.Route;
import io.herald.api.OpenApiDescription.Located;
import io.herald.api.OpenApiDescription.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description against the server: the same routes and methods, valid OpenAPI, examples valid against
 * their own schemas, and served as described. {@link OpenApiExamplesTest} sends the examples.
 */
class OpenApiDocumentTest {
    private static final OpenApiDescription DESCRIPTION = OpenApiDescription.load();
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void describesEveryRouteOfTheServerAndNoOther() {
        Set<String> served = new TreeSet<>();
        for (Route route : api.server.routes()) {
            // Armeria writes a path parameter as :name; OpenAPI as {name}.
            String path = route.patternString().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            if (isConsolePage(path)) {
                continue; // the console's page and built files: static content for browsers, not API
            }
            route.methods().forEach(method -> served.add(method + " " + path));
        }
        Set<String> described = new TreeSet<>();
        DESCRIPTION.operations().forEach(operation -> described.add(operation.toString()));

        assertThat(served).as("routes the server binds").contains("GET /api/v1/openapi.json");
        assertThat(described).isEqualTo(served);
    }

    @Test
    void isValidOpenApi() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(DESCRIPTION.text, null, options);

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1.");
        assertThat(result.getOpenAPI().getPaths()).hasSize(DESCRIPTION.root.path("paths").size());
    }

    /** Answer examples must be answers the schema allows; request examples too, unless they show a refusal. */
    @Test
    void examplesMatchTheirSchemas() {
        int checked = 0;
        for (Operation operation : DESCRIPTION.operations()) {
            for (Map.Entry<String, Located> response : DESCRIPTION.responses(operation).entrySet()) {
                for (String mediaType : names(response.getValue().node().path("content"))) {
                    Located media = response.getValue().at("content", mediaType);
                    for (String name : names(media.node().path("examples"))) {
                        checked += check(operation, media.at("schema"), media.at("examples", name, "value"));
                    }
                }
            }
            for (String name : DESCRIPTION.exampleNames(operation)) {
                if (!OpenApiExamplesTest.expectedResponse(operation, name).getKey().startsWith("2")) {
                    continue;
                }
                Located media = operation.node().at("requestBody", "content", "application/json");
                if (media.node().path("examples").has(name)) {
                    checked += check(operation, media.at("schema"), media.at("examples", name, "value"));
                }
                for (Located parameter : operation.parameters()) {
                    if (parameter.node().path("examples").has(name)) {
                        checked += check(operation, parameter.at("schema"), parameter.at("examples", name, "value"));
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(30);
    }

    private static int check(Operation operation, Located schema, Located example) {
        assertThat(DESCRIPTION.validate(schema, example.node())).as("%s: %s", operation, example.pointer()).isEmpty();
        return 1;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyOperationHasARequestAndAnAnswerExample() {
        for (Operation operation : DESCRIPTION.operations()) {
            int answers = 0;
            for (Located response : DESCRIPTION.responses(operation).values()) {
                for (JsonNode media : response.node().path("content")) {
                    answers += media.path("examples").size();
                }
            }
            assertThat(answers).as("answer examples of %s", operation).isPositive();
            JsonNode body = operation.node().node().path("requestBody");
            if (!body.isMissingNode()) {
                assertThat(body.at("/content/application~1json/examples").size())
                        .as("request examples of %s", operation).isPositive();
            }
        }
    }

    /** The error codes clients may see are ErrorCodes' constants, no more and no fewer. */
    @Test
    void listsEveryErrorCode() throws IllegalAccessException {
        Set<String> codes = new TreeSet<>();
        for (Field field : ErrorCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                codes.add((String) field.get(null));
            }
        }
        Set<String> described = new TreeSet<>();
        DESCRIPTION.root.at("/components/schemas/Error/properties/error/properties/code/enum")
                .forEach(code -> described.add(code.asText()));

        assertThat(described).isEqualTo(codes);
    }

    @Test
    void isServedUnauthenticatedAsCacheableJson() {
        TestApi.Reply reply = api.get(OpenApiRoutes.PATH);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType().toLowerCase(Locale.ROOT)).startsWith("application/json");
        assertThat(reply.header("cache-control")).isEqualTo("public, max-age=3600");
        assertThat(reply.body()).isEqualTo(new String(OpenApiRoutes.load(), StandardCharsets.UTF_8));
        String etag = reply.header("etag");
        assertThat(etag).isNotBlank();

        TestApi.Reply again = api.get(OpenApiRoutes.PATH, "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    private static boolean isConsolePage(String path) {
        return path.equals("/console") || path.equals("/console/") || path.startsWith("/console/assets/");
    }
}
