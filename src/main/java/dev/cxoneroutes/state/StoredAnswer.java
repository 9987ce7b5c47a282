package dev.cxoneroutes.state;

/** A kept answer: what the first request's caller received, replayed to its repeats. */
public record StoredAnswer(int status, String body) {}
