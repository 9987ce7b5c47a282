package dev.cxoneroutes.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.cxoneroutes.testing.Generated.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cxoneroutes.config.ServiceVersion;
import dev.cxoneroutes.testing.BridgeInputs;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.HandoffInputs;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.RunningService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Generated requests through the real service over HTTP and through a drop file, against a stub
 * CXone: fewer than the bean-level property tests (HandoffInputPropertyTest,
 * BridgeCommandPropertyTest), enough to prove the whole path. Valid ones reach CXone exactly as
 * CONTRACT §8 says; invalid ones are answered 400 naming the field; nothing ends in a 5xx; every
 * drop-file line gets one result line with its {@code line}.
 */
class GeneratedRequestsOverHttpTest {

    static final int TRIES = 50;
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final LiveService live = new LiveService();

    @Test
    void generated_json_and_form_handoffs_reach_cxone_as_the_contract_says() {
        forAll(TRIES, HandoffInputs::valid, handoff -> {
            String requestId = "gen-" + UUID.randomUUID();
            HttpResponse<String> response = new Random(requestId.hashCode()).nextBoolean()
                    ? service().postJson("/api/v1/ivr/handoff", handoff.json().toString(), apiKey(requestId))
                    : service()
                            .post(
                                    "/api/v1/ivr/handoff",
                                    "application/x-www-form-urlencoded",
                                    HandoffInputs.urlEncoded(handoff.form()),
                                    withAccept(apiKey(requestId)));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(parse(response.body()).path("guest_id").asText()).isEqualTo("guest-1");
            assertThat(parse(onlyCxoneRequest(urlPathEqualTo(CxoneStub.GUEST_PATH), requestId)
                            .getBodyAsString()))
                    .isEqualTo(parse(
                            handoff.expectedGuestSession(ServiceVersion.read()).toString()));
        });
    }

    @Test
    void generated_invalid_handoffs_are_refused_naming_the_field() {
        forAll(
                TRIES,
                random -> random.nextBoolean() ? HandoffInputs.invalidJson(random) : HandoffInputs.invalidForm(random),
                invalid -> {
                    HttpResponse<String> response = invalid.form() == null
                            ? service().postJson("/api/v1/ivr/handoff", invalid.body(), apiKey("gen-invalid"))
                            : service()
                                    .post(
                                            "/api/v1/ivr/handoff",
                                            "application/x-www-form-urlencoded",
                                            HandoffInputs.urlEncoded(invalid.form()),
                                            withAccept(apiKey("gen-invalid")));

                    assertRefused(response, invalid.field());
                });
    }

    @Test
    void generated_bridge_commands_reach_cxone_at_their_call_as_the_contract_says() {
        forAll(TRIES, BridgeInputs::valid, command -> {
            String requestId = "gen-" + UUID.randomUUID();
            HttpResponse<String> response = service()
                    .postJson(
                            "/api/v1/calls/" + command.callId() + "/bridge",
                            command.json(false).toString(),
                            apiKey(requestId));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(parse(response.body()).path("call_id").asText()).isEqualTo(command.callId());
            LoggedRequest sent = onlyCxoneRequest(urlPathEqualTo(CxoneStub.bridgePath(command.callId())), requestId);
            assertThat(parse(sent.getBodyAsString()))
                    .isEqualTo(parse(command.expectedBridgeRequest().toString()));
        });
    }

    @Test
    void generated_invalid_bridge_commands_and_call_ids_are_refused_naming_the_field() {
        forAll(
                TRIES,
                random -> random.nextInt(3) == 0
                        ? new BridgeInputs.Invalid(
                                BridgeInputs.valid(random).json(false), "callId", BridgeInputs.badCallId(random))
                        : BridgeInputs.invalid(random, false),
                invalid -> {
                    String callId = invalid.field().equals("callId")
                            ? invalid.broken()
                            : BridgeInputs.callId(
                                    new Random(invalid.body().toString().hashCode()));
                    String path = "/api/v1/calls/"
                            + URLEncoder.encode(callId, StandardCharsets.UTF_8).replace("+", "%20") + "/bridge";

                    HttpResponse<String> response =
                            service().postJson(path, invalid.body().toString(), apiKey("gen-invalid"));

                    if (callId.contains("/") && response.statusCode() == 404) {
                        return; // an encoded slash makes another path, which no route serves
                    }
                    assertRefused(response, invalid.field());
                });
    }

    @Test
    void every_line_of_a_generated_drop_file_gets_one_result_naming_its_line() throws IOException {
        long seed = Long.getLong("generated.seed", new Random().nextLong());
        try {
            dropAGeneratedFile(new Random(seed));
        } catch (AssertionError failure) {
            throw new AssertionError("Replay with -Dgenerated.seed=" + seed + ": " + failure.getMessage(), failure);
        }
    }

    private void dropAGeneratedFile(Random random) throws IOException {
        List<String> lines = new ArrayList<>();
        Map<Integer, String> invalidField = new HashMap<>();
        Map<Integer, BridgeInputs.Valid> valid = new HashMap<>();
        for (int line = 1; line <= 120; line++) {
            switch (random.nextInt(10)) {
                case 0 -> lines.add(random.nextBoolean() ? "" : "   ");
                case 1 -> lines.add("# a comment " + line);
                case 2 -> {
                    lines.add(oneOf(random, List.of("{\"callId\":", "not json", "[1,2]", "\"text\"", "42", "{}x")));
                    invalidField.put(line, null); // MALFORMED_JSON: no field to name
                }
                case 3, 4, 5 -> {
                    BridgeInputs.Invalid invalid = BridgeInputs.invalid(random, true);
                    lines.add(invalid.body().toString());
                    invalidField.put(line, invalid.field());
                }
                default -> {
                    BridgeInputs.Valid command = BridgeInputs.valid(random);
                    lines.add(command.json(true).toString());
                    valid.put(line, command);
                }
            }
        }
        Path inbox = service().dataDirectory().resolve("inbox/bridge");
        Files.createDirectories(inbox);
        Path written = inbox.resolve("generated.jsonl.tmp");
        Files.writeString(written, String.join("\n", lines) + "\n");
        Files.move(written, inbox.resolve("generated.jsonl"), StandardCopyOption.ATOMIC_MOVE);

        Path processed = service().dataDirectory().resolve("processed/bridge/generated.jsonl");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(processed));
        Path results = service().dataDirectory().resolve("outbox/bridge/generated.jsonl.results.jsonl");
        List<JsonNode> resultLines = Files.readAllLines(results, StandardCharsets.UTF_8).stream()
                .map(GeneratedRequestsOverHttpTest::parse)
                .toList();

        assertThat(resultLines)
                .allSatisfy(result -> assertThat(result.path("line").isInt())
                        .as(result.toString())
                        .isTrue());
        Map<Integer, JsonNode> byLine = resultLines.stream()
                .collect(Collectors.toMap(result -> result.path("line").asInt(), result -> result));
        assertThat(byLine)
                .as("one result per line, none for blank and comment lines")
                .hasSameSizeAs(resultLines);
        assertThat(byLine.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(valid.keySet().stream(), invalidField.keySet().stream())
                                .toList());
        valid.forEach((line, command) -> {
            JsonNode result = byLine.get(line);
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("success");
            assertThat(result.path("call_id").asText()).isEqualTo(command.callId());
        });
        invalidField.forEach((line, field) -> {
            JsonNode result = byLine.get(line);
            assertThat(result.path("status").asInt()).as(result.toString()).isEqualTo(400);
            if (field == null) {
                assertThat(result.path("code").asText()).isEqualTo("MALFORMED_JSON");
            } else {
                assertThat(result.path("code").asText()).isEqualTo("INVALID_REQUEST");
                assertThat(fields(result)).as(result.toString()).containsExactly(field);
            }
        });
        List<JsonNode> bridged =
                live.cxone().server().findAll(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))).stream()
                        .map(request -> parse(request.getBodyAsString()))
                        .toList();
        assertThat(bridged)
                .as("each valid line bridged once, as the contract says")
                .containsExactlyInAnyOrderElementsOf(valid.values().stream()
                        .map(command -> parse(command.expectedBridgeRequest().toString()))
                        .toList());
    }

    private static void assertRefused(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = parse(response.body());
        assertThat(problem.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(fields(problem)).as(response.body()).containsExactly(field);
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> {
            if (!fields.contains(error.path("field").asText())) {
                fields.add(error.path("field").asText());
            }
        });
        return fields;
    }

    private static LoggedRequest onlyCxoneRequest(
            com.github.tomakehurst.wiremock.matching.UrlPattern endpoint, String requestId) {
        List<LoggedRequest> requests = live.cxone()
                .server()
                .findAll(postRequestedFor(endpoint).withHeader("X-CXone-Request-ID", equalTo(requestId)));
        assertThat(requests).as("requests CXone saw for " + requestId).hasSize(1);
        return requests.get(0);
    }

    private static RunningService service() {
        return live.service();
    }

    private static String[] apiKey(String requestId) {
        return new String[] {"X-API-Key", "test-key-1", "X-Request-ID", requestId};
    }

    /** As the Studio REST action asks: problem documents as application/json. */
    private static String[] withAccept(String[] headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Accept";
        all[headers.length + 1] = "application/json";
        return all;
    }

    private static <T> T oneOf(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
