package dev.cxoneroutes.bridge;

import static dev.cxoneroutes.testing.Generated.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.FieldError;
import dev.cxoneroutes.api.JsonBodies;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.api.RequestRejectedException;
import dev.cxoneroutes.api.ViolationFields;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.cxone.CxoneCallState;
import dev.cxoneroutes.cxone.CxoneRequest;
import dev.cxoneroutes.cxone.CxoneSettings;
import dev.cxoneroutes.testing.BridgeInputs;
import dev.cxoneroutes.testing.MalformedJson;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated bridge commands through the beans every entry point uses (reader,
 * validation, bridge mapping), without a running service: as a queue message or drop-file line
 * (callId in the body) and as an HTTP request (callId in the path). Every valid one maps exactly to
 * the bridge request of CONTRACT §8; every invalid one is refused naming the field at fault.
 */
class BridgeCommandPropertyTest {

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    static final CxoneSettings CXONE = CxoneSettings.load(new Settings(key -> Optional.empty()), "http://cxone.test");
    static final BridgeRequestReader READER = new BridgeRequestReader(new JsonBodies(JSON, VALIDATOR));
    static final BridgeMapping MAPPING = new BridgeMapping(JSON, CXONE);
    static final CamelContext CAMEL = new DefaultCamelContext();

    @AfterAll
    static void close() throws Exception {
        CAMEL.close();
    }

    @Test
    void every_valid_queue_or_drop_file_command_maps_to_the_contracts_bridge_request() {
        forAll(2_000, BridgeInputs::valid, command -> {
            Exchange exchange = exchange(command.json(true).toString(), null);
            READER.read(exchange);

            assertMapsExactly(exchange, command);
            assertThat(exchange.getProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY))
                    .isEqualTo(command.requestId());
        });
    }

    @Test
    void every_valid_http_command_maps_to_the_contracts_bridge_request() {
        forAll(2_000, BridgeInputs::valid, command -> {
            // Half of them repeat the path's call id in the body, which is allowed.
            Exchange exchange = exchange(command.json(command.dtmf() == null).toString(), command.callId());
            READER.readHttp(exchange);

            assertMapsExactly(exchange, command);
        });
    }

    @Test
    void every_invalid_queue_or_drop_file_command_is_refused_naming_its_field() {
        forAll(1_000, random -> BridgeInputs.invalid(random, true), invalid -> {
            Exchange exchange = exchange(invalid.body().toString(), null);

            assertThat(refusedFields(exchange, false)).containsExactly(invalid.field());
        });
    }

    @Test
    void every_invalid_http_command_is_refused_naming_its_field() {
        forAll(1_000, random -> BridgeInputs.invalid(random, false), invalid -> {
            Exchange exchange = exchange(
                    invalid.body().toString(),
                    BridgeInputs.callId(
                            new java.util.Random(invalid.body().toString().hashCode())));

            assertThat(refusedFields(exchange, true)).containsExactly(invalid.field());
        });
    }

    @Test
    void every_body_that_is_not_one_json_object_is_malformed_json() {
        forAll(
                1_000,
                random -> MalformedJson.from(
                        random, BridgeInputs.valid(random).json(true).toString()),
                text -> {
                    Exchange exchange = exchange(text, null);

                    RequestRejectedException rejected = org.assertj.core.api.Assertions.catchThrowableOfType(
                            RequestRejectedException.class, () -> READER.read(exchange));

                    assertThat(rejected).as("refused").isNotNull();
                    assertThat(rejected.code()).isEqualTo(ProblemCode.MALFORMED_JSON);
                });
    }

    @Test
    void cxones_answer_is_passed_on_whole() {
        forAll(500, BridgeInputs::valid, command -> {
            Exchange exchange = exchange(command.json(true).toString(), null);
            READER.read(exchange);
            assertMapsExactly(exchange, command);
            JsonNode cxoneAnswer = JSON.createObjectNode()
                    .put("bridgeId", "b-" + command.callId())
                    .set("legs", command.expectedBridgeRequest().path("targets"));
            exchange.getMessage().setBody(cxoneAnswer);
            exchange.setProperty(CxoneCallState.ATTEMPTS, 1);
            exchange.setProperty(CxoneCallState.LATENCY_MS, 3.5);

            MAPPING.toAnswer(exchange);

            Map<?, ?> answer = exchange.getMessage().getBody(Map.class);
            assertThat(answer.get("status")).isEqualTo("success");
            assertThat(answer.get("call_id")).isEqualTo(command.callId());
            assertThat(answer.get("status_code")).isEqualTo(200);
            assertThat(answer.get("attempts")).isEqualTo(1);
            assertThat(answer.get("data")).isEqualTo(cxoneAnswer);
        });
    }

    private static void assertMapsExactly(Exchange exchange, BridgeInputs.Valid command) {
        BridgeCommand read = exchange.getMessage().getBody(BridgeCommand.class);
        assertThat(ViolationFields.of(VALIDATOR.validate(read))).isEmpty();
        try {
            MAPPING.toCxoneRequest(exchange);
            CxoneRequest cxone = exchange.getProperty(CxoneRequest.PROPERTY, CxoneRequest.class);
            assertThat(cxone.url()).isEqualTo("http://cxone.test/api/v2/cti/calls/" + command.callId() + "/bridge");
            assertThat(cxone.operation()).isEqualTo("bridge");
            assertThat(JSON.readTree(cxone.body()))
                    .isEqualTo(JSON.readTree(command.expectedBridgeRequest().toString()));
            assertThat(exchange.getProperty(ExchangeKeys.CALL_ID)).isEqualTo(command.callId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> refusedFields(Exchange exchange, boolean http) {
        try {
            if (http) {
                READER.readHttp(exchange);
            } else {
                READER.read(exchange);
            }
        } catch (RequestRejectedException rejected) {
            assertThat(rejected.code()).isEqualTo(ProblemCode.INVALID_REQUEST);
            return rejected.errors().stream().map(FieldError::field).distinct().toList();
        }
        return ViolationFields.of(VALIDATOR.validate(exchange.getMessage().getBody(BridgeCommand.class))).stream()
                .map(FieldError::field)
                .distinct()
                .toList();
    }

    private static Exchange exchange(String body, String pathCallId) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(ExchangeKeys.REQUEST_ID, "req-1");
        exchange.setProperty(CxoneCallState.STATUS_CODE, 200);
        if (pathCallId != null) {
            exchange.getMessage().setHeader("callId", pathCallId);
        }
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
