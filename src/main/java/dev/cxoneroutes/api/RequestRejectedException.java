package dev.cxoneroutes.api;

import java.util.List;

/** The request cannot be served as sent; the caller gets {@code code} with every field error. */
public final class RequestRejectedException extends RuntimeException {

    private final ProblemCode code;
    private final List<FieldError> errors;

    public RequestRejectedException(ProblemCode code, String detail, List<FieldError> errors) {
        super(detail);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public RequestRejectedException(ProblemCode code, String detail) {
        this(code, detail, List.of());
    }

    public ProblemCode code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
