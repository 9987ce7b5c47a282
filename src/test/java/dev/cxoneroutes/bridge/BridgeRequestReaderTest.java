package dev.cxoneroutes.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.FieldError;
import dev.cxoneroutes.api.JsonBodies;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.api.RequestRejectedException;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading a bridge command from a queue or drop-file body, and from an HTTP body plus its path. */
class BridgeRequestReaderTest {

    static final String MINIMAL =
            "\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],\"direction\":\"inbound\"";

    static ValidatorFactory validation;
    static DefaultCamelContext camel;
    static BridgeRequestReader reader;

    @BeforeAll
    static void setUp() {
        validation = Validation.buildDefaultValidatorFactory();
        camel = new DefaultCamelContext();
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        reader = new BridgeRequestReader(new JsonBodies(json, validation.getValidator()));
    }

    @AfterAll
    static void tearDown() throws Exception {
        camel.close();
        validation.close();
    }

    @Test
    void reads_a_queued_command_with_its_call_id_and_offers_its_request_id_as_idempotency_key() {
        Exchange exchange = exchange("{\"callId\":\"c-9\"," + MINIMAL + ",\"requestId\":\"crm-1\"}");

        reader.read(exchange);

        BridgeCommand command = exchange.getMessage().getBody(BridgeCommand.class);
        assertThat(command.callId()).isEqualTo("c-9");
        assertThat(command.targets()).containsExactly(new BridgeTarget("phone", "+15551234567"));
        assertThat(exchange.getProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY)).isEqualTo("crm-1");
    }

    @Test
    void takes_the_call_id_from_the_url_path() {
        Exchange exchange = exchange("{" + MINIMAL + "}");
        exchange.getMessage().setHeader(BridgeRequestReader.CALL_ID_HEADER, "from-path");

        reader.readHttp(exchange);

        assertThat(exchange.getMessage().getBody(BridgeCommand.class).callId()).isEqualTo("from-path");
        assertThat(exchange.getProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY)).isNull();
    }

    @Test
    void refuses_a_body_naming_another_call_than_the_path_together_with_wrong_types() {
        Exchange exchange = exchange("{\"callId\":\"other\"," + MINIMAL + ",\"bridgeMatrix\":{\"source\":0}}");
        exchange.getMessage().setHeader(BridgeRequestReader.CALL_ID_HEADER, "from-path");

        RequestRejectedException rejected =
                catchThrowableOfType(RequestRejectedException.class, () -> reader.readHttp(exchange));

        assertThat(rejected.code()).isEqualTo(ProblemCode.INVALID_REQUEST);
        assertThat(rejected.errors()).extracting(FieldError::field).containsExactly("bridgeMatrix", "callId");
    }

    @Test
    void names_each_wrong_typed_field_with_the_rule_violations() {
        Exchange exchange = exchange("{\"callId\":\"c-9\",\"targets\":[\"+15551234567\"],\"direction\":1,"
                + "\"bridgeMatrix\":[{\"source\":0,\"target\":\"one\"}]}");

        RequestRejectedException rejected =
                catchThrowableOfType(RequestRejectedException.class, () -> reader.read(exchange));

        // Jackson reads the number 1 as the text "1", which the direction rule then refuses.
        assertThat(rejected.errors())
                .containsExactly(
                        new FieldError("bridgeMatrix[0].target", "must be a whole number"),
                        new FieldError("direction", "must be one of inbound, outbound, transfer, consult"),
                        new FieldError("targets[0]", "must be a JSON object"));
    }

    private static Exchange exchange(String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
