package dev.cxoneroutes.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.bridge.BridgeCommand;
import dev.cxoneroutes.bridge.BridgeTarget;
import dev.cxoneroutes.handoff.HandoffRequest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document (src/main/resources/api-docs/openapi.json) on its own: it is OpenAPI 3.1 by
 * the specification's schema and by swagger-parser, its examples match its schemas, the example
 * files match the request schemas, and its limits are the ones the service validates with.
 */
class OpenApiDocumentTest {

    static final String OAS_31_SCHEMA = "https://spec.openapis.org/oas/3.1/schema/2021-04-15";

    final ObjectMapper json = new ObjectMapper();
    final OpenApiContract contract = OpenApiContract.load();

    @Test
    void is_valid_by_the_openapi_3_1_specification_schema() throws Exception {
        String specification;
        try (InputStream in = getClass().getResourceAsStream("/openapi-spec/oas-3.1-schema.json")) {
            specification = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(Map.of(OAS_31_SCHEMA, specification)));

        var errors = registry.getSchema(SchemaLocation.of(OAS_31_SCHEMA)).validate(contract.document());

        assertThat(errors).isEmpty();
        assertThat(contract.document().path("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void the_specification_schema_refuses_a_broken_document() throws Exception {
        String specification;
        try (InputStream in = getClass().getResourceAsStream("/openapi-spec/oas-3.1-schema.json")) {
            specification = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(Map.of(OAS_31_SCHEMA, specification)));
        var broken = contract.document().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        broken.path("paths").path("/api/v1/ivr/handoff").path("post"))
                .put("responses", "none");

        assertThat(registry.getSchema(SchemaLocation.of(OAS_31_SCHEMA)).validate(broken))
                .isNotEmpty();
    }

    @Test
    void swagger_parser_reads_it_without_a_message() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(OpenApiContract.documentText(), null, options);

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getPaths())
                .containsKeys(
                        "/api/v1/ivr/handoff",
                        "/api/v1/calls/{callId}/bridge",
                        "/api/v1/metrics/summary",
                        "/api/v1/batches");
    }

    @Test
    void every_example_in_the_document_matches_its_schema() {
        List<String> violations = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        contract.document().path("paths").fields();
                paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> operations =
                            path.getValue().fields();
                    operations.hasNext(); ) {
                var operation = operations.next();
                String method = operation.getKey();
                String concretePath = path.getKey().replace("{callId}", "call-123");
                for (var media : fields(operation.getValue().path("requestBody").path("content"))) {
                    for (var example : fields(media.getValue().path("examples"))) {
                        JsonNode value = contract.resolve(example.getValue()).path("value");
                        String body = media.getKey().equals(CurlExample.FORM) ? form(value) : value.toString();
                        contract.requestViolations(method, concretePath, media.getKey(), body).stream()
                                .map(v -> method + " " + path.getKey() + " example " + example.getKey() + ": " + v)
                                .forEach(violations::add);
                        checked++;
                    }
                }
                for (var response : fields(operation.getValue().path("responses"))) {
                    JsonNode declared = response.getValue();
                    String pointer = declared.has("$ref")
                            ? declared.path("$ref").asText().substring(1)
                            : "/paths/" + OpenApiContract.escape(path.getKey()) + "/" + method + "/responses/"
                                    + response.getKey();
                    for (var media : fields(contract.resolve(declared).path("content"))) {
                        for (var example : fields(media.getValue().path("examples"))) {
                            contract
                                    .validate(
                                            pointer + "/content/" + OpenApiContract.escape(media.getKey()) + "/schema",
                                            contract.resolve(example.getValue()).path("value"))
                                    .stream()
                                    .map(v -> method + " " + path.getKey() + " " + response.getKey() + " example "
                                            + example.getKey() + ": " + v)
                                    .forEach(violations::add);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
        assertThat(checked).isGreaterThan(20);
    }

    /**
     * The example files are requests too. The sample drop file holds a bad line on purpose: the
     * schema must refuse exactly the lines the service's own validation refuses.
     */
    @Test
    void the_example_files_match_the_request_schemas_where_the_service_accepts_them() throws Exception {
        assertThat(contract.validate(
                        "/components/schemas/HandoffRequest",
                        json.readTree(
                                Path.of("examples/jms/handoff-request.json").toFile())))
                .isEmpty();
        List<String> commands = new ArrayList<>(Files.readAllLines(Path.of("examples/bridge-batch.jsonl")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList());
        commands.add(Files.readString(Path.of("examples/jms/bridge-command.json")));
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        int refused = 0;
        for (String command : commands) {
            boolean serviceAccepts = validator
                    .validate(json.readValue(command, BridgeCommand.class))
                    .isEmpty();
            List<String> violations = contract.validate("/components/schemas/BridgeCommand", json.readTree(command));
            assertThat(violations.isEmpty()).as(command + " " + violations).isEqualTo(serviceAccepts);
            refused += serviceAccepts ? 0 : 1;
        }
        assertThat(commands).hasSizeGreaterThan(refused);
    }

    @Test
    void the_request_schemas_refuse_what_the_contract_refuses() throws Exception {
        String bridge = "/components/schemas/BridgeRequest";
        String eightTargets = "{\"direction\":\"outbound\",\"targets\":["
                + String.join(",", java.util.Collections.nCopies(8, "{\"type\":\"phone\",\"value\":\"+15550000001\"}"))
                + "]}";
        assertThat(contract.validate(bridge, json.readTree(eightTargets))).isNotEmpty();
        assertThat(contract.validate(
                        bridge,
                        json.readTree(
                                "{\"direction\":\"outbound\",\"targets\":[{\"type\":\"phone\",\"value\":\"0123\"}]}")))
                .isNotEmpty();
        assertThat(
                        contract.validate(
                                bridge,
                                json.readTree(
                                        "{\"direction\":\"sideways\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15550000001\"}]}")))
                .isNotEmpty();
        assertThat(contract.requestViolations(
                        "post",
                        "/api/v1/calls/call%20x/bridge",
                        "application/json",
                        "{\"direction\":\"outbound\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15550000001\"}]}"))
                .isNotEmpty();
        assertThat(contract.requestViolations(
                        "post",
                        "/api/v1/ivr/handoff",
                        CurlExample.FORM,
                        "dtmf_sequence=1&caller_id=x&voice_history=billing"))
                .as("voice_history must be a JSON-encoded object")
                .isNotEmpty();
        assertThat(contract.requestViolations(
                        "post",
                        "/api/v1/ivr/handoff",
                        "application/json",
                        "{\"dtmf_sequence\":\"12x\",\"voice_history\":{},\"caller_id\":\"x\"}"))
                .isNotEmpty();
    }

    /**
     * The contract's answer templates (CONTRACT.md §3 and §5, inline JSON with … for values) name
     * the same fields as the document's schemas. The contract lives beside the repository
     * (shared/), not in it: skipped where it is not there.
     */
    @Test
    void the_answer_schemas_name_the_fields_of_the_contract_templates() throws Exception {
        Path contractFile = Stream.of(Path.of("../shared/CONTRACT.md"), Path.of("/work/shared/CONTRACT.md"))
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(contractFile != null, "shared/CONTRACT.md is not beside the repository");
        List<JsonNode> templates = new ArrayList<>();
        Matcher code = java.util.regex.Pattern.compile("`([\\[{][^`]+)`").matcher(Files.readString(contractFile));
        while (code.find()) {
            String json = code.group(1)
                    .replaceAll("\\{…[^{}]*…}", "{}") // {…same…}, {…CXone's answer…}
                    .replace("…", "null")
                    .replaceAll("\"([^\"]*)\"(\\|\"[^\"]*\")+", "\"$1\"");
            try {
                templates.add(this.json.readTree(json));
            } catch (java.io.IOException notJson) {
                // a field list such as {"id","url","state","channel"}: not an answer template
            }
        }
        JsonNode schemas = contract.document().path("components").path("schemas");
        assertSameFields(template(templates, "guest_id"), schemas.path("HandoffAnswer"));
        assertSameFields(template(templates, "status_code"), schemas.path("BridgeAnswer"));
        JsonNode summary = template(templates, "handoff");
        assertSameFields(summary, schemas.path("MetricsSummary"));
        assertSameFields(summary.path("handoff"), schemas.path("OperationSummary"));
        JsonNode batches = templates.stream()
                .filter(t -> t.isArray() && t.path(0).has("lines_read"))
                .findFirst()
                .orElseThrow();
        assertSameFields(batches.path(0), schemas.path("BatchStatus"));
        JsonNode problem = template(templates, "code");
        assertThat(names(schemas.at("/Problem/properties"))).containsAll(names(problem));
        assertThat(names(problem)).containsAll(enumOf(schemas.at("/Problem/required")));
        assertThat(names(schemas.at("/FieldError/properties"))).containsAll(names(problem.at("/errors/0")));
    }

    private static JsonNode template(List<JsonNode> templates, String field) {
        return templates.stream()
                .filter(t -> t.has(field) && !t.has("event_type")) // result events (§6) are not answers
                .findFirst()
                .orElseThrow(() -> new AssertionError("no contract template with " + field));
    }

    /** The template has every required field and no field the schema does not describe. */
    private static void assertSameFields(JsonNode template, JsonNode schema) {
        assertThat(names(schema.path("properties"))).as(template.toString()).containsAll(names(template));
        assertThat(names(template)).as(template.toString()).containsAll(enumOf(schema.path("required")));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The document states the limits the service validates with: the two cannot drift apart. */
    @Test
    void patterns_and_limits_are_the_ones_the_service_validates_with() throws Exception {
        JsonNode schemas = contract.document().path("components").path("schemas");
        assertThat(schemas.at("/HandoffRequest/properties/dtmf_sequence/pattern")
                        .asText())
                .isEqualTo(anchored(HandoffRequest.class, "dtmfSequence"));
        assertThat(schemas.at("/HandoffForm/properties/dtmf_sequence/pattern").asText())
                .isEqualTo(anchored(HandoffRequest.class, "dtmfSequence"));
        assertThat(schemas.at("/LanguagePreference/pattern").asText())
                .isEqualTo(anchored(HandoffRequest.class, "languagePreference"));
        assertThat(schemas.at("/LanguagePreference/default").asText()).isEqualTo(HandoffRequest.DEFAULT_LANGUAGE);
        assertThat(schemas.at("/CallerId/maxLength").asInt())
                .isEqualTo(HandoffRequest.class
                        .getDeclaredField("callerId")
                        .getAnnotation(Size.class)
                        .max());
        assertThat(schemas.at("/BridgeTarget/properties/value/pattern").asText())
                .isEqualTo(anchored(BridgeTarget.class, "value"));
        assertThat(schemas.at("/BridgeRequest/properties/callId/pattern").asText())
                .isEqualTo(anchored(BridgeCommand.class, "callId"));
        assertThat(contract.document()
                        .at("/components/parameters/CallId/schema/pattern")
                        .asText())
                .isEqualTo(anchored(BridgeCommand.class, "callId"));
        assertThat(schemas.at("/BridgeRequest/properties/targets/maxItems").asInt())
                .isEqualTo(BridgeCommand.MAX_TARGETS);
        assertThat(enumOf(schemas.at("/BridgeRequest/properties/direction/enum")))
                .isEqualTo(alternatives(BridgeCommand.class, "direction"));
        assertThat(enumOf(schemas.at("/BridgeRequest/properties/dtmf/enum")))
                .isEqualTo(alternatives(BridgeCommand.class, "dtmf"));
        assertThat(schemas.at("/BridgeRequest/properties/dtmf/default").asText())
                .isEqualTo(BridgeCommand.DEFAULT_DTMF);
    }

    @Test
    void every_answerable_error_code_is_in_the_problem_schema() {
        List<String> documented = enumOf(contract.document().at("/components/schemas/Problem/properties/code/enum"));
        Arrays.stream(ProblemCode.values())
                .filter(code -> code != ProblemCode.OUTCOME_UNKNOWN) // drop-file results only, never an HTTP answer
                .forEach(code -> assertThat(documented).contains(code.name()));
    }

    private static String anchored(Class<?> type, String field) throws NoSuchFieldException {
        return "^" + type.getDeclaredField(field).getAnnotation(Pattern.class).regexp() + "$";
    }

    private static List<String> alternatives(Class<?> type, String field) throws NoSuchFieldException {
        return List.of(type.getDeclaredField(field)
                .getAnnotation(Pattern.class)
                .regexp()
                .split("\\|"));
    }

    private static List<String> enumOf(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        node.fields().forEachRemaining(fields::add);
        return fields;
    }

    private static String form(JsonNode fields) {
        List<String> pairs = new ArrayList<>();
        fields.fields()
                .forEachRemaining(f -> pairs.add(
                        f.getKey() + "=" + URLEncoder.encode(f.getValue().asText(), StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }
}
