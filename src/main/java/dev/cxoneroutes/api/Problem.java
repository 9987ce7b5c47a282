package dev.cxoneroutes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** An RFC 9457 problem document, with the contract's {@code code}, {@code request_id} and {@code errors}. */
@JsonPropertyOrder({"type", "title", "status", "detail", "code", "request_id", "errors"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        @JsonProperty("request_id") String requestId,
        List<FieldError> errors) {

    public static Problem of(ProblemCode code, String detail, String requestId, List<FieldError> errors) {
        return new Problem(code.type(), code.title(), code.status(), detail, code.name(), requestId, errors);
    }
}
