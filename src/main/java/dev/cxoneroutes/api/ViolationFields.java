package dev.cxoneroutes.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Names bean-validation violations by the JSON path the caller sent ({@code targets[2].value}). */
public final class ViolationFields {

    private ViolationFields() {}

    public static List<FieldError> of(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new FieldError(jsonPath(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
    }

    private static String jsonPath(ConstraintViolation<?> violation) {
        boolean snakeCase = isSnakeCase(violation.getRootBeanClass());
        StringBuilder path = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            // Hibernate Validator puts a list element's index on the node that follows the list.
            if (node.isInIterable() && node.getIndex() != null) {
                path.append('[').append(node.getIndex()).append(']');
            }
            String name = node.getName();
            if (name == null || name.startsWith("<")) {
                continue;
            }
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(snakeCase ? PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(name) : name);
        }
        return path.toString();
    }

    private static boolean isSnakeCase(Class<?> type) {
        JsonNaming naming = type.getAnnotation(JsonNaming.class);
        return naming != null && naming.value() == PropertyNamingStrategies.SnakeCaseStrategy.class;
    }
}
