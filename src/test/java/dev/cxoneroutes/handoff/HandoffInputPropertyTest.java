package dev.cxoneroutes.handoff;

import static dev.cxoneroutes.testing.Generated.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.FieldError;
import dev.cxoneroutes.api.JsonBodies;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.api.RequestRejectedException;
import dev.cxoneroutes.api.ViolationFields;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.cxone.CxoneBadResponseException;
import dev.cxoneroutes.cxone.CxoneCallState;
import dev.cxoneroutes.cxone.CxoneRequest;
import dev.cxoneroutes.cxone.CxoneSettings;
import dev.cxoneroutes.testing.HandoffInputs;
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
 * Thousands of generated handoff requests through the beans the routes use (reader, validation,
 * guest session mapping), without a running service: every valid one, as JSON or as the Studio
 * action's form, maps exactly to the guest session of CONTRACT §8; every invalid one is refused
 * naming the field at fault, and nothing else ever escapes. HandoffAndBridgeOverHttpTest runs
 * fewer through the real service.
 */
class HandoffInputPropertyTest {

    static final String VERSION = "9.9.9-test";
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    static final CxoneSettings CXONE = CxoneSettings.load(new Settings(key -> Optional.empty()), "http://cxone.test");
    static final HandoffRequestReader READER = new HandoffRequestReader(JSON, new JsonBodies(JSON, VALIDATOR));
    static final GuestSessionMapping MAPPING = new GuestSessionMapping(JSON, CXONE, VERSION);
    static final CamelContext CAMEL = new DefaultCamelContext();

    @AfterAll
    static void close() throws Exception {
        CAMEL.close();
    }

    @Test
    void every_valid_json_handoff_maps_to_the_contracts_guest_session() {
        forAll(2_000, HandoffInputs::valid, handoff -> {
            JsonNode sent = guestSessionFor(handoff.json().toString());

            assertThat(sent).isEqualTo(normalised(handoff.expectedGuestSession(VERSION)));
        });
    }

    @Test
    void every_valid_form_handoff_maps_to_the_contracts_guest_session() {
        forAll(2_000, HandoffInputs::valid, handoff -> {
            JsonNode sent = guestSessionFor(handoff.form());

            assertThat(sent).isEqualTo(normalised(handoff.expectedGuestSession(VERSION)));
        });
    }

    @Test
    void every_invalid_json_handoff_is_refused_naming_its_field() {
        forAll(1_000, HandoffInputs::invalidJson, invalid -> assertThat(refusedFields(invalid.body()))
                .containsExactly(invalid.field()));
    }

    @Test
    void every_body_that_is_not_one_json_object_is_malformed_json() {
        forAll(
                1_000,
                random -> MalformedJson.from(
                        random, HandoffInputs.valid(random).json().toString()),
                text -> {
                    RequestRejectedException rejected =
                            catchThrowableOfType(RequestRejectedException.class, () -> READER.read(exchange(text)));

                    assertThat(rejected).as("refused").isNotNull();
                    assertThat(rejected.code()).isEqualTo(ProblemCode.MALFORMED_JSON);
                });
    }

    @Test
    void every_invalid_form_handoff_is_refused_naming_its_field() {
        forAll(1_000, HandoffInputs::invalidForm, invalid -> assertThat(refusedFields(invalid.form()))
                .containsExactly(invalid.field()));
    }

    @Test
    void every_guest_session_cxone_answers_maps_to_the_ivrs_answer_and_none_without_id_or_url_is_a_success() {
        forAll(
                1_000,
                random -> {
                    ObjectNode guest = JSON.createObjectNode();
                    for (String field : List.of("id", "url", "state", "channel")) {
                        switch (random.nextInt(6)) {
                            case 0 -> {}
                            case 1 -> guest.putNull(field);
                            case 2 -> guest.put(field, random.nextBoolean() ? "" : " ");
                            default -> guest.put(field, field + "-" + Long.toHexString(random.nextLong()));
                        }
                    }
                    return guest;
                },
                guest -> {
                    Exchange exchange = exchange(guest);
                    boolean usable = guest.path("id").isTextual()
                            && !guest.path("id").asText().isBlank()
                            && guest.path("url").isTextual()
                            && !guest.path("url").asText().isBlank();
                    Throwable failure = catchThrowable(() -> MAPPING.toAnswer(exchange));
                    if (!usable) {
                        assertThat(failure).isInstanceOf(CxoneBadResponseException.class);
                        return;
                    }
                    assertThat(failure).isNull();
                    Map<?, ?> answer = exchange.getMessage().getBody(Map.class);
                    assertThat(answer.get("status")).isEqualTo("success");
                    assertThat(answer.get("request_id")).isEqualTo("req-1");
                    assertThat(answer.get("guest_id"))
                            .isEqualTo(guest.path("id").asText());
                    assertThat(answer.get("session_url"))
                            .isEqualTo(guest.path("url").asText());
                    assertThat(answer.get("state"))
                            .isEqualTo(guest.path("state").asText(null));
                    assertThat(answer.get("channel"))
                            .isEqualTo(guest.path("channel").asText("webMessaging"));
                    assertThat(answer.get("redirect_instructions"))
                            .isEqualTo("Use the session_url to redirect the caller or inject into IVR variables.");
                });
    }

    /** The body CXone is sent for this request body, which must pass reading and validation. */
    private static JsonNode guestSessionFor(Object body) {
        Exchange exchange = exchange(body);
        READER.read(exchange);
        HandoffRequest request = exchange.getMessage().getBody(HandoffRequest.class);
        assertThat(ViolationFields.of(VALIDATOR.validate(request))).isEmpty();
        try {
            MAPPING.toCxoneRequest(exchange);
            CxoneRequest cxone = exchange.getProperty(CxoneRequest.PROPERTY, CxoneRequest.class);
            assertThat(cxone.url()).isEqualTo("http://cxone.test/api/v2/interactions/guests");
            assertThat(cxone.requestId()).isEqualTo("req-1");
            assertThat(cxone.operation()).isEqualTo("handoff");
            return JSON.readTree(cxone.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fields an invalid body is refused for, as the answer's errors[] names them: from reading
     * (wrong types) or from validation (broken rules), as the route does.
     */
    private static List<String> refusedFields(Object body) {
        Exchange exchange = exchange(body);
        try {
            READER.read(exchange);
        } catch (RequestRejectedException rejected) {
            assertThat(rejected.code()).isEqualTo(ProblemCode.INVALID_REQUEST);
            return rejected.errors().stream().map(FieldError::field).distinct().toList();
        }
        return ViolationFields.of(VALIDATOR.validate(exchange.getMessage().getBody(HandoffRequest.class))).stream()
                .map(FieldError::field)
                .distinct()
                .toList();
    }

    private static Exchange exchange(Object body) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setProperty(ExchangeKeys.REQUEST_ID, "req-1");
        exchange.setProperty(CxoneCallState.STATUS_CODE, 201);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    private static JsonNode normalised(JsonNode node) {
        try {
            return JSON.readTree(node.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
