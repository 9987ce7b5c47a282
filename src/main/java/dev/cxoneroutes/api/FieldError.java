package dev.cxoneroutes.api;

/** One violation in a request, named by its JSON path ({@code targets[0].value}). */
public record FieldError(String field, String message) {}
