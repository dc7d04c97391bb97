package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The served OpenAPI document as the tests read it: its operations, their examples, and JSON Schema validation of
 * a value against a schema of the document (networknt's validator with the OpenAPI 3.1 dialect, so the document's
 * own {@code $ref}s, {@code unevaluatedProperties} and {@code if/then} mean what they mean in the spec).
 */
final class OpenApiDescription {
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    /** The example name the tests send without the API key. */
    static final String NO_KEY = "no-key";
    /** A parameter example that fills the parameter for every example that has no value of its own. */
    static final String DEFAULT = "default";
    private static final String IRI = "https://herald.invalid/api/v1/openapi.json";

    /** A node of the document and the JSON pointer it sits at, so that schemas keep their own location. */
    record Located(String pointer, JsonNode node) {
        Located at(String... names) {
            StringBuilder pointer = new StringBuilder(this.pointer);
            JsonNode node = this.node;
            for (String name : names) {
                pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
                node = node.isArray() ? node.path(Integer.parseInt(name)) : node.path(name);
            }
            return new Located(pointer.toString(), node);
        }
    }

    record Operation(String method, String path, Located node, List<Located> parameters) {
        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
    }

    final String text;
    final JsonNode root;
    private final SchemaRegistry schemas;

    OpenApiDescription(byte[] json) {
        this.text = new String(json, StandardCharsets.UTF_8);
        try {
            this.root = TestApi.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schemas = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance(),
                builder -> builder.schemas(Map.of(IRI, text)));
    }

    static OpenApiDescription load() {
        return new OpenApiDescription(OpenApiRoutes.load());
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        Located paths = new Located("", root).at("paths");
        for (Iterator<String> p = paths.node().fieldNames(); p.hasNext(); ) {
            String path = p.next();
            Located item = paths.at(path);
            for (Iterator<String> m = item.node().fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (METHODS.contains(method)) {
                    Located operation = item.at(method);
                    List<Located> parameters = new ArrayList<>();
                    elements(item.at("parameters")).forEach(parameter -> parameters.add(resolve(parameter)));
                    elements(operation.at("parameters")).forEach(parameter -> parameters.add(resolve(parameter)));
                    operations.add(new Operation(method, path, operation, parameters));
                }
            }
        }
        return operations;
    }

    /** Follows local {@code $ref}s. */
    Located resolve(Located node) {
        Located current = node;
        while (current.node().has("$ref")) {
            String pointer = current.node().get("$ref").asText().substring(1);
            current = new Located(pointer, root.at(pointer));
            if (current.node().isMissingNode()) {
                throw new AssertionError(node.pointer() + " refers to " + pointer + ", which does not exist");
            }
        }
        return current;
    }

    List<Located> elements(Located array) {
        List<Located> elements = new ArrayList<>();
        for (int i = 0; i < array.node().size(); i++) {
            elements.add(array.at(Integer.toString(i)));
        }
        return elements;
    }

    /** Each response of an operation by status, resolved. */
    Map<String, Located> responses(Operation operation) {
        Map<String, Located> responses = new java.util.LinkedHashMap<>();
        Located all = operation.node().at("responses");
        all.node().fieldNames().forEachRemaining(status -> responses.put(status, resolve(all.at(status))));
        return responses;
    }

    /** The names of an operation's examples: of its answers, its request body and its parameters. */
    Set<String> exampleNames(Operation operation) {
        Set<String> names = new LinkedHashSet<>();
        for (Located response : responses(operation).values()) {
            response.node().path("content").forEach(media -> media.path("examples").fieldNames()
                    .forEachRemaining(names::add));
        }
        operation.node().node().path("requestBody").path("content").forEach(media -> media.path("examples")
                .fieldNames().forEachRemaining(names::add));
        for (Located parameter : operation.parameters()) {
            parameter.node().path("examples").fieldNames().forEachRemaining(names::add);
        }
        names.remove(DEFAULT);
        return names;
    }

    /** Whether the operation asks for the API key (registration asks for it only when closed: "no key" is allowed). */
    boolean needsApiKey(Operation operation) {
        JsonNode security = operation.node().node().path("security");
        boolean anonymous = false;
        for (JsonNode requirement : security) {
            anonymous |= requirement.isEmpty();
        }
        return !security.isEmpty() && !anonymous;
    }

    /** The schema at {@code schema}'s place in the document, compiled with the document around it. */
    List<Error> validate(Located schema, JsonNode value) {
        Schema compiled = schemas.getSchema(SchemaLocation.of(IRI + "#" + schema.pointer()));
        return compiled.validate(value);
    }
}
