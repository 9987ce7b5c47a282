package dev.cxoneroutes.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One drop file as {@code GET /api/v1/batches} lists it (CONTRACT §5).
 *
 * @param state {@code in_progress}, {@code done} or {@code failed}
 * @param linesRead input lines read so far, blank, comment and already finished ones included
 * @param succeeded lines whose result is a success, results from before a restart included
 * @param failed lines whose result is an error
 * @param linesPerSecond results written per second since this run of the file started
 * @param finishedAt null while the file runs
 * @param instance INSTANCE_ID of the instance working on the file, or that finished it (CONTRACT §9)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
    "file",
    "state",
    "lines_read",
    "succeeded",
    "failed",
    "lines_per_second",
    "started_at",
    "finished_at",
    "instance"
})
public record BatchStatus(
        String file,
        String state,
        @JsonProperty("lines_read") long linesRead,
        long succeeded,
        long failed,
        @JsonProperty("lines_per_second") double linesPerSecond,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        String instance) {}
