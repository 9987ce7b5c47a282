package dev.cxoneroutes.apidocs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI document the service serves (src/main/resources/api-docs/openapi.json), as a judge:
 * does a request body match the request schema of its operation, does an answer match the
 * response declared for its operation, status and content type.
 */
final class OpenApiContract {

    static final String DOCUMENT_URI = "https://cxone-routes.invalid/api/v1/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final SchemaRegistry schemas;

    private OpenApiContract(String text) {
        try {
            this.document = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schemas = SchemaRegistry.withDefaultDialect(
                Dialects.getOpenApi31(), builder -> builder.schemas(Map.of(DOCUMENT_URI, text)));
    }

    static OpenApiContract load() {
        return new OpenApiContract(documentText());
    }

    static String documentText() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/api-docs/openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode document() {
        return document;
    }

    /** A concrete path ({@code /api/v1/calls/c-1/bridge}) → its template in the document, and the path parameters. */
    Optional<Map.Entry<String, Map<String, String>>> template(String path) {
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            String[] want = template.split("/");
            String[] got = path.split("/");
            if (want.length != got.length) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            boolean match = true;
            for (int i = 0; i < want.length && match; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}")) {
                    parameters.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else {
                    match = want[i].equals(got[i]);
                }
            }
            if (match) {
                return Optional.of(Map.entry(template, parameters));
            }
        }
        return Optional.empty();
    }

    JsonNode operation(String method, String template) {
        JsonNode operation = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            throw new AssertionError("The OpenAPI document has no " + method + " " + template);
        }
        return operation;
    }

    /**
     * Everything wrong with a request by the document: its path parameters, media type and body.
     * A form body is decoded to its fields, and a field declared as JSON-encoded
     * ({@code contentMediaType: application/json}) is checked against its {@code contentSchema}.
     */
    List<String> requestViolations(String method, String path, String contentType, String body) {
        var found = template(path).orElseThrow(() -> new AssertionError("No operation for " + path));
        String template = found.getKey();
        JsonNode operation = operation(method, template);
        List<String> violations = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if ("path".equals(resolved.path("in").asText())) {
                String value = found.getValue().get(resolved.path("name").asText());
                violations.addAll(validate(
                        pointerOf(
                                        parameter,
                                        "/paths/" + escape(template) + "/"
                                                + method.toLowerCase(Locale.ROOT) + "/parameters/"
                                                + indexOf(operation.path("parameters"), parameter))
                                + "/schema",
                        JSON.getNodeFactory().textNode(value)));
            }
        }
        JsonNode requestBody = operation.path("requestBody");
        if (requestBody.isMissingNode()) {
            return violations;
        }
        String mediaType = mediaType(contentType);
        JsonNode content = requestBody.path("content").path(mediaType);
        if (content.isMissingNode()) {
            violations.add("media type " + mediaType + " is not declared for " + method + " " + template);
            return violations;
        }
        String schemaPointer = pointerOf(
                content.path("schema"),
                "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/requestBody/content/"
                        + escape(mediaType) + "/schema");
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            ObjectNode fields = formFields(body);
            violations.addAll(validate(schemaPointer, fields));
            JsonNode properties = schemaNode(schemaPointer).path("properties");
            for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                JsonNode property = properties.path(name);
                if ("application/json".equals(property.path("contentMediaType").asText()) && fields.has(name)) {
                    try {
                        violations.addAll(validate(
                                schemaPointer + "/properties/" + escape(name) + "/contentSchema",
                                JSON.readTree(fields.get(name).asText())));
                    } catch (IOException notJson) {
                        violations.add(name + ": is not JSON");
                    }
                }
            }
            return violations;
        }
        try {
            violations.addAll(validate(schemaPointer, JSON.readTree(body)));
        } catch (IOException notJson) {
            violations.add("the body is not JSON");
        }
        return violations;
    }

    /** Everything wrong with an answer by the response the document declares for its status. */
    List<String> responseViolations(String method, String path, HttpResponse<String> response) {
        String template = template(path).orElseThrow().getKey();
        String responsePointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                + response.statusCode();
        JsonNode declared = document.at(responsePointer);
        if (declared.isMissingNode()) {
            return List.of("status " + response.statusCode() + " is not declared for " + method + " " + template);
        }
        if (declared.has("$ref")) {
            responsePointer = declared.path("$ref").asText().substring(1);
            declared = document.at(responsePointer);
        }
        List<String> violations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.path("headers").fields(); it.hasNext(); ) {
            var header = it.next();
            JsonNode resolved = resolve(header.getValue());
            Optional<String> value = response.headers().firstValue(header.getKey());
            if (value.isEmpty()) {
                if (resolved.path("required").asBoolean(false)) {
                    violations.add("header " + header.getKey() + " is missing");
                }
                continue;
            }
            String pointer = pointerOf(header.getValue(), responsePointer + "/headers/" + escape(header.getKey()));
            JsonNode instance =
                    "integer".equals(resolved.path("schema").path("type").asText())
                            ? asNumberOrText(value.get())
                            : JSON.getNodeFactory().textNode(value.get());
            violations.addAll(validate(pointer + "/schema", instance).stream()
                    .map(v -> "header " + header.getKey() + ": " + v)
                    .toList());
        }
        String mediaType =
                mediaType(response.headers().firstValue("Content-Type").orElse(""));
        JsonNode content = declared.path("content").path(mediaType);
        if (content.isMissingNode()) {
            violations.add("content type " + mediaType + " is not declared for " + response.statusCode());
            return violations;
        }
        if (!mediaType.endsWith("json")) {
            return violations;
        }
        try {
            violations.addAll(validate(
                    responsePointer + "/content/" + escape(mediaType) + "/schema", JSON.readTree(response.body())));
        } catch (IOException notJson) {
            violations.add("the body is not JSON: " + response.body());
        }
        return violations;
    }

    /** The schema at a JSON pointer into the document, applied to an instance. */
    List<String> validate(String pointer, JsonNode instance) {
        Schema schema = schemas.getSchema(SchemaLocation.of(DOCUMENT_URI + "#" + pointer));
        return schema.validate(instance).stream().map(Object::toString).toList();
    }

    JsonNode schemaNode(String pointer) {
        return resolve(document.at(pointer));
    }

    /** An OpenAPI {@code $ref} within the document, followed; anything else as it is. */
    JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? resolve(document.at(node.path("$ref").asText().substring(1))) : node;
    }

    private static String pointerOf(JsonNode node, String pointerIfInline) {
        return node.has("$ref") ? node.path("$ref").asText().substring(1) : pointerIfInline;
    }

    private static int indexOf(JsonNode array, JsonNode element) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) == element) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }

    private static JsonNode asNumberOrText(String value) {
        try {
            return JSON.getNodeFactory().numberNode(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return JSON.getNodeFactory().textNode(value);
        }
    }

    static ObjectNode formFields(String body) {
        ObjectNode fields = JSON.createObjectNode();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameValue = pair.split("=", 2);
            fields.put(
                    URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }

    static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** JSON pointer escaping (RFC 6901) of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
