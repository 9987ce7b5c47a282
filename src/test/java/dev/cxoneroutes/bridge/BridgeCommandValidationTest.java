package dev.cxoneroutes.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.api.FieldError;
import dev.cxoneroutes.api.ViolationFields;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge command's rules (CONTRACT §3), each violation named by its JSON path. */
class BridgeCommandValidationTest {

    static jakarta.validation.ValidatorFactory factory;
    static Validator validator;

    static final BridgeTarget PHONE = new BridgeTarget("phone", "+15551234567");

    @BeforeAll
    static void startValidator() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void closeValidator() {
        factory.close();
    }

    @Test
    void accepts_a_complete_command() {
        BridgeCommand command = new BridgeCommand(
                "call_42-A",
                List.of(PHONE, new BridgeTarget("phone", "4930123456")),
                "consult",
                List.of(new BridgeMatrixEntry(0, 1), new BridgeMatrixEntry(1, 2), new BridgeMatrixEntry(2, 0)),
                "INFO",
                "req-1");

        assertThat(errors(command)).isEmpty();
    }

    @Test
    void accepts_a_command_without_the_optional_fields() {
        assertThat(errors(new BridgeCommand("c1", List.of(PHONE), "outbound", null, null, null)))
                .isEmpty();
    }

    @Test
    void accepts_eight_legs() {
        assertThat(errors(withTargets(phones(7)))).isEmpty();
    }

    @Test
    void rejects_nine_legs_naming_targets() {
        assertThat(fields(withTargets(phones(8)))).containsExactly("targets");
    }

    @Test
    void rejects_missing_or_empty_targets_naming_targets() {
        assertThat(fields(withTargets(null))).containsExactly("targets");
        assertThat(fields(withTargets(List.of()))).containsExactly("targets");
    }

    @Test
    void rejects_a_null_target_naming_its_index() {
        assertThat(fields(withTargets(Arrays.asList(PHONE, null)))).containsExactly("targets[1]");
    }

    @Test
    void accepts_only_phone_targets() {
        assertThat(fields(withTargets(List.of(PHONE, new BridgeTarget("sip", "+15551234567")))))
                .containsExactly("targets[1].type");
        assertThat(fields(withTargets(List.of(new BridgeTarget(null, "+15551234567")))))
                .containsExactly("targets[0].type");
    }

    @Test
    void accepts_e164_numbers_with_or_without_plus() {
        for (String number : List.of("+15551234567", "15551234567", "+12", "+123456789012345")) {
            assertThat(errors(withTargets(List.of(new BridgeTarget("phone", number)))))
                    .as(number)
                    .isEmpty();
        }
    }

    @Test
    void rejects_numbers_that_are_not_e164_without_repeating_them() {
        for (String number :
                List.of("0155512345", "+0155512345", "+1", "+1234567890123456", "+1 555 123", "555-1234", "")) {
            BridgeCommand command = withTargets(List.of(PHONE, PHONE, new BridgeTarget("phone", number)));
            List<FieldError> errors = errors(command);
            assertThat(errors).as(number).extracting(FieldError::field).containsExactly("targets[2].value");
            if (!number.isEmpty()) {
                assertThat(errors.get(0).message()).doesNotContain(number);
            }
        }
        assertThat(fields(withTargets(List.of(new BridgeTarget("phone", null)))))
                .containsExactly("targets[0].value");
    }

    @Test
    void requires_a_known_direction() {
        for (String direction : List.of("inbound", "outbound", "transfer", "consult")) {
            assertThat(errors(new BridgeCommand("c1", List.of(PHONE), direction, null, null, null)))
                    .isEmpty();
        }
        assertThat(fields(new BridgeCommand("c1", List.of(PHONE), "sideways", null, null, null)))
                .containsExactly("direction");
        assertThat(fields(new BridgeCommand("c1", List.of(PHONE), "INBOUND", null, null, null)))
                .containsExactly("direction");
        assertThat(fields(new BridgeCommand("c1", List.of(PHONE), null, null, null, null)))
                .containsExactly("direction");
    }

    @Test
    void accepts_known_dtmf_modes_and_defaults_to_rfc2833() {
        for (String dtmf : List.of("RFC2833", "INFO", "PULSE")) {
            assertThat(errors(new BridgeCommand("c1", List.of(PHONE), "inbound", null, dtmf, null)))
                    .isEmpty();
        }
        assertThat(fields(new BridgeCommand("c1", List.of(PHONE), "inbound", null, "rfc2833", null)))
                .containsExactly("dtmf");
        assertThat(new BridgeCommand("c1", List.of(PHONE), "inbound", null, null, null).dtmfOrDefault())
                .isEqualTo("RFC2833");
    }

    @Test
    void requires_a_call_id_of_up_to_64_safe_characters() {
        assertThat(errors(new BridgeCommand("A".repeat(64), List.of(PHONE), "inbound", null, null, null)))
                .isEmpty();
        for (String callId : Arrays.asList(null, "", "A".repeat(65), "call.1", "call/1", "call 1")) {
            assertThat(fields(new BridgeCommand(callId, List.of(PHONE), "inbound", null, null, null)))
                    .as(callId)
                    .containsExactly("callId");
        }
    }

    @Test
    void accepts_matrix_indexes_from_the_call_to_the_last_target() {
        assertThat(errors(withMatrix(
                        List.of(PHONE, PHONE), List.of(new BridgeMatrixEntry(0, 2), new BridgeMatrixEntry(2, 1)))))
                .isEmpty();
    }

    @Test
    void rejects_matrix_indexes_beyond_the_legs_naming_source_or_target() {
        List<FieldError> errors = errors(withMatrix(
                List.of(PHONE, PHONE),
                List.of(new BridgeMatrixEntry(0, 1), new BridgeMatrixEntry(3, 0), new BridgeMatrixEntry(1, -1))));

        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactly("bridgeMatrix[1].source", "bridgeMatrix[2].target");
        assertThat(errors).extracting(FieldError::message).allMatch(m -> m.contains("0 (the call itself) to 2"));
    }

    @Test
    void rejects_a_leg_bridged_to_itself_naming_the_target() {
        assertThat(errors(withMatrix(List.of(PHONE), List.of(new BridgeMatrixEntry(1, 1)))))
                .containsExactly(new FieldError("bridgeMatrix[0].target", "must be a different leg from source"));
    }

    @Test
    void rejects_incomplete_matrix_entries() {
        assertThat(fields(withMatrix(List.of(PHONE), Arrays.asList(new BridgeMatrixEntry(null, 1), null))))
                .containsExactly("bridgeMatrix[0].source", "bridgeMatrix[1]");
    }

    @Test
    void reports_every_violation_of_one_command_with_its_path() {
        BridgeCommand command = new BridgeCommand(
                "call#1",
                List.of(PHONE, new BridgeTarget("email", "+15551234567"), new BridgeTarget("phone", "12ab")),
                "upward",
                List.of(new BridgeMatrixEntry(0, 3), new BridgeMatrixEntry(4, 4)),
                "TONE",
                null);

        assertThat(fields(command))
                .containsExactly(
                        "bridgeMatrix[1].source",
                        "bridgeMatrix[1].target",
                        "bridgeMatrix[1].target",
                        "callId",
                        "direction",
                        "dtmf",
                        "targets[1].type",
                        "targets[2].value");
    }

    @Test
    void masks_phone_numbers_in_its_string_form() {
        assertThat(new BridgeTarget("phone", "+15551234567").toString())
                .doesNotContain("5551234567")
                .endsWith("67]");
    }

    private static BridgeCommand withTargets(List<BridgeTarget> targets) {
        return new BridgeCommand("c1", targets, "transfer", null, null, null);
    }

    private static BridgeCommand withMatrix(List<BridgeTarget> targets, List<BridgeMatrixEntry> matrix) {
        return new BridgeCommand("c1", targets, "transfer", matrix, null, null);
    }

    private static List<BridgeTarget> phones(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new BridgeTarget("phone", "+1555000000" + i))
                .toList();
    }

    private static List<FieldError> errors(BridgeCommand command) {
        return ViolationFields.of(validator.validate(command));
    }

    private static List<String> fields(BridgeCommand command) {
        return errors(command).stream().map(FieldError::field).toList();
    }
}
