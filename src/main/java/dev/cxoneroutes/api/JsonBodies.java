package dev.cxoneroutes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;

/**
 * Reads request bodies as JSON objects and binds them to request records. Every field at fault is
 * named in one answer: values of the wrong type as well as values that break a validation rule.
 */
public class JsonBodies {

    /** More wrong-typed fields than any request record has: stop looking. */
    private static final int MAX_TYPE_ERRORS = 32;

    private final ObjectMapper json;
    /**
     * Reads a whole body or line as one JSON value: anything after it makes the text malformed.
     * Jackson otherwise stops after the first value, so a drop-file line holding two commands glued
     * together ({@code {…}{…}}) would have its second silently dropped.
     */
    private final ObjectReader wholeText;

    private final Validator validator;

    public JsonBodies(ObjectMapper json, Validator validator) {
        this.json = json;
        this.wholeText = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.validator = validator;
    }

    /**
     * The body as a JSON object; anything else is {@link ProblemCode#MALFORMED_JSON}. An HTTP body
     * is parsed from its stream (JSON is UTF-8) with Jackson's recycled buffers: Camel's conversion of
     * the stream to a String, or to bytes, allocated 8 KiB buffers per request, a sixth of the
     * handoff's allocations (JFR, c=50).
     */
    public ObjectNode object(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null || body instanceof String) {
            return object((String) body);
        }
        try {
            if (body instanceof InputStream stream) {
                return checkObject(wholeText.readTree(stream));
            }
            byte[] bytes = exchange.getMessage().getBody(byte[].class);
            return checkObject(bytes == null || bytes.length == 0 ? null : wholeText.readTree(bytes));
        } catch (IOException e) {
            throw new RequestRejectedException(ProblemCode.MALFORMED_JSON, "The body is not valid JSON.");
        }
    }

    public ObjectNode object(String text) {
        try {
            return checkObject(text == null || text.isBlank() ? null : wholeText.readTree(text));
        } catch (JsonProcessingException e) {
            throw new RequestRejectedException(ProblemCode.MALFORMED_JSON, "The body is not valid JSON.");
        }
    }

    private static ObjectNode checkObject(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new RequestRejectedException(ProblemCode.MALFORMED_JSON, "The body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    /**
     * Binds and validates the object. A wrong-typed value is set aside and binding tried again, so
     * the answer names it together with every other invalid field.
     */
    public <T> T bind(ObjectNode fields, Class<T> type) {
        return bind(fields, type, List.of());
    }

    /**
     * As {@link #bind(ObjectNode, Class)}, with errors the caller found before binding (such as a
     * body that contradicts the URL path) reported in the same answer as the rest.
     */
    public <T> T bind(ObjectNode fields, Class<T> type, List<FieldError> foundBefore) {
        ObjectNode remaining = fields.deepCopy();
        List<FieldError> errorsSoFar = new ArrayList<>(foundBefore);
        while (true) {
            try {
                T value = json.treeToValue(remaining, type);
                if (errorsSoFar.isEmpty()) {
                    return value;
                }
                throw invalid(errorsSoFar, validator.validate(value));
            } catch (MismatchedInputException e) {
                String field = path(e.getPath());
                if (field.isEmpty() || errorsSoFar.size() >= MAX_TYPE_ERRORS || !remove(remaining, e.getPath())) {
                    errorsSoFar.add(new FieldError(field.isEmpty() ? "(body)" : field, expected(e.getTargetType())));
                    throw invalid(errorsSoFar, Set.of());
                }
                errorsSoFar.add(new FieldError(field, expected(e.getTargetType())));
            } catch (JsonProcessingException e) {
                throw new RequestRejectedException(
                        ProblemCode.INVALID_REQUEST, "The body does not match the request's shape.");
            }
        }
    }

    private static RequestRejectedException invalid(
            List<FieldError> typeErrors, Set<? extends jakarta.validation.ConstraintViolation<?>> violations) {
        Set<String> mistyped = typeErrors.stream().map(FieldError::field).collect(Collectors.toSet());
        List<FieldError> all = new ArrayList<>(typeErrors);
        ViolationFields.of(violations).stream()
                .filter(error -> !mistyped.contains(error.field()))
                .forEach(all::add);
        all.sort(Comparator.comparing(FieldError::field));
        return new RequestRejectedException(ProblemCode.INVALID_REQUEST, all.size() + " field(s) are invalid.", all);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be a JSON object";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be a JSON array";
        }
        if (type == String.class || type.isEnum()) {
            return "must be a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number";
        }
        return "has the wrong type";
    }

    /** Removes the value at the path so binding can go on without it; false when it cannot be found. */
    private static boolean remove(JsonNode root, List<JsonMappingException.Reference> path) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonMappingException.Reference step = path.get(i);
            parent = step.getFieldName() != null ? parent.get(step.getFieldName()) : parent.get(step.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (last.getFieldName() != null && parent instanceof ObjectNode object && object.has(last.getFieldName())) {
            object.remove(last.getFieldName());
            return true;
        }
        if (last.getFieldName() == null && parent instanceof ArrayNode array && last.getIndex() < array.size()) {
            // Keep indexes stable for the other errors: blank the element rather than remove it.
            array.set(last.getIndex(), array.nullNode());
            return true;
        }
        return false;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
