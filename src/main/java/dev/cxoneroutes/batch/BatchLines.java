package dev.cxoneroutes.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.api.RequestRejectedException;
import dev.cxoneroutes.bridge.BridgeCommand;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.results.ResultPublication;
import dev.cxoneroutes.state.StateStoreUnavailableException;
import java.io.IOException;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The steps of one drop-file line (CONTRACT §5), around the bridge core that every entry point
 * shares. A line's number is its 1-based position in the file, blank and comment lines included.
 */
public class BatchLines {

    /** Set on a line that gets no result: blank, a comment, or finished before a restart. */
    public static final String SKIP = "cxrBatchSkip";

    public static final String LINE = "cxrBatchLine";
    /** Set on a line that was sent to CXone before a crash and has no result. */
    public static final String IN_FLIGHT_AT_CRASH = "cxrBatchInFlightAtCrash";

    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final ObjectMapper json;
    private final ResultEvents events;

    public BatchLines(ObjectMapper json, ResultEvents events) {
        this.json = json;
        this.events = events;
    }

    /** Numbers the line, decides whether it is skipped, and tags it like any request. */
    public void prepare(Exchange exchange) {
        BatchRun run = run(exchange);
        int line = exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) + 1;
        String text = exchange.getMessage().getBody(String.class);
        text = text == null ? "" : text;
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (line == 1 && !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        run.lineRead();
        if (run.interrupted() || BatchRun.routeStopping(exchange)) {
            // The service is stopping (or another instance took the file over): leave the rest of
            // the file for the next start or the other instance.
            run.interrupt();
            exchange.setProperty(SKIP, true);
            return;
        }
        String trimmed = text.strip();
        boolean skip = trimmed.isEmpty() || trimmed.startsWith("#") || run.hasResult(line);
        exchange.setProperty(SKIP, skip);
        exchange.setProperty(LINE, line);
        if (skip) {
            return;
        }
        exchange.setProperty(IN_FLIGHT_AT_CRASH, run.wasInFlightAtCrash(line));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(text);
        exchange.setProperty(ExchangeKeys.OPERATION, "bridge");
        exchange.setProperty(ExchangeKeys.SOURCE, "file");
        // A line's answer time runs from here, not from the file's pickup (the split's copies
        // share the file exchange's clock).
        exchange.setProperty(ExchangeKeys.RECEIVED_NANOS, System.nanoTime());
        setRequestId(exchange, run.requestIdFor(line));
    }

    /**
     * A command's own requestId, when it can travel as a header, becomes its request id: CXone then
     * sees the id the command's author chose (and the same one on a resend).
     */
    public void useCommandRequestId(Exchange exchange) {
        BridgeCommand command = exchange.getMessage().getBody(BridgeCommand.class);
        if (command.requestId() != null
                && SAFE_REQUEST_ID.matcher(command.requestId()).matches()) {
            setRequestId(exchange, command.requestId());
        }
    }

    /**
     * A valid line that was being sent to CXone when the service stopped, and was not answered from
     * the idempotency store: CXone may have bridged it, so it is not sent again (docs/batch.md).
     */
    public void refuseInFlightAtCrash(Exchange exchange) {
        throw new RequestRejectedException(
                ProblemCode.OUTCOME_UNKNOWN,
                "The service stopped while this line was being sent to CXone, so whether CXone bridged the call"
                        + " is unknown. It was not sent again, so that the call is not bridged twice; check the call"
                        + " in CXone (X-CXone-Request-ID " + exchange.getProperty(ExchangeKeys.REQUEST_ID)
                        + ") before sending it again.");
    }

    /** Journals the line as handed to CXone, just before it is sent. */
    public void markSent(Exchange exchange) throws IOException {
        BatchRun run = run(exchange);
        try {
            run.markSent(line(exchange));
        } catch (DropFileClaimLostException e) {
            run.claimLost();
            throw e;
        } catch (StateStoreUnavailableException e) {
            run.interrupt();
            throw e;
        }
    }

    /**
     * Appends the line's result: the answer an HTTP caller would get (success or problem document)
     * with {@code "line"} first. Leaves the answer's JSON text as the body, for the idempotency store.
     */
    public void record(Exchange exchange) throws IOException {
        Object body = exchange.getMessage().getBody();
        String answer = body instanceof String text ? text.strip() : json.writeValueAsString(body);
        if (!answer.startsWith("{")) {
            throw new IllegalStateException("An answer is always a JSON object, got: " + answer);
        }
        // The answer's fields after "line": spliced as text, the answer is serialised once.
        String result = "{\"line\":" + line(exchange) + (answer.equals("{}") ? "}" : "," + answer.substring(1));
        int status = exchange.getProperty(ExchangeKeys.STATUS, 200, Integer.class);
        boolean success = status / 100 == 2 && exchange.getProperty(ExchangeKeys.ERROR_CODE) == null;
        BatchRun run = run(exchange);
        if (!success && (run.interrupted() || BatchRun.routeStopping(exchange))) {
            // Likely cut short by the shutdown itself (an interrupted call to CXone), which may have
            // been bridged, or by the file going to another instance: no result, so the next run
            // reports it as OUTCOME_UNKNOWN, not as failed.
            run.interrupt();
            throw new IllegalStateException("The run is stopping; line " + line(exchange) + " is left unrecorded");
        }
        try {
            run.record(line(exchange), result, success);
        } catch (DropFileClaimLostException e) {
            run.claimLost();
            throw e;
        } catch (StateStoreUnavailableException e) {
            run.interrupt();
            throw e;
        }
        exchange.setProperty(ExchangeKeys.ANSWERED_NANOS, System.nanoTime());
        exchange.getMessage().setBody(answer);
    }

    /** The line's result event, for {@code direct:results-publish}, made from its recorded answer. */
    public void describeResult(Exchange exchange) {
        exchange.setProperty(ResultPublication.EVENT, events.fromExchange(exchange));
    }

    private static void setRequestId(Exchange exchange, String requestId) {
        exchange.setProperty(ExchangeKeys.REQUEST_ID, requestId);
    }

    private static BatchRun run(Exchange exchange) {
        return exchange.getProperty(BatchFiles.RUN, BatchRun.class);
    }

    private static int line(Exchange exchange) {
        return exchange.getProperty(LINE, Integer.class);
    }
}
