package dev.cxoneroutes.batch;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.IdempotentReplay;
import dev.cxoneroutes.bridge.BridgeRequestReader;
import dev.cxoneroutes.bridge.BridgeRoutes;
import org.apache.camel.builder.RouteBuilder;

/**
 * One drop-file line, from its text to its result line (CONTRACT §5). Java rather than YAML because
 * a bad line must end with a result like any other, never stop its file: the line is tried whole
 * and whatever it failed on becomes its problem document. The file's own route is
 * {@code routes/bridge-drop-folder.camel.yaml}.
 */
public class BatchLineRoutes extends RouteBuilder {

    public static final String LINE = "direct:bridge-batch-line";
    private static final String SEND = "direct:bridge-batch-send";

    @Override
    public void configure() {
        // spotless:off
        // Processors calling the beans directly, not bean(): Camel's reflective bean invocation was
        // a large share of a line's CPU in bench/, and a drop file runs these steps a million times.
        BatchLines lines = getContext().getRegistry().lookupByNameAndType("batchLines", BatchLines.class);
        IdempotentReplay replay = getContext().getRegistry().lookupByNameAndType("idempotentReplay", IdempotentReplay.class);
        BridgeRequestReader reader = getContext().getRegistry().lookupByNameAndType("bridgeRequestReader", BridgeRequestReader.class);
        BatchCallGate gate = getContext().getRegistry().lookupByNameAndType("batchCallGate", BatchCallGate.class);

        from(LINE)
                .routeId("bridge-batch-line")
                .errorHandler(noErrorHandler()) // a line that cannot even be recorded fails the file
                .process(lines::prepare)
                .filter(exchangeProperty(BatchLines.SKIP).isNotEqualTo(true))
                    .doTry()
                        .to(SEND)
                    .doCatch(Exception.class)
                        .process("failureAnswer")
                    .end()
                    .process(lines::record)
                    .process(replay::remember)
                    .process(lines::describeResult)
                    // Recorded before the line counts as done, so that every line's event is in
                    // the audit before its file's batch_completed event and its move to processed/.
                    .to("direct:results-publish")
                .end();

        // A line in flight at a crash is validated first: an invalid one never reached CXone and
        // gets its validation error, not OUTCOME_UNKNOWN. Other lines are validated once, by
        // bridge-call-cxone; an invalid one is journaled too, harmlessly.
        from(SEND)
                .routeId("bridge-batch-send")
                .errorHandler(noErrorHandler())
                .process(reader::read)
                .process(lines::useCommandRequestId)
                .process(replay::claim)
                .filter(exchangeProperty(ExchangeKeys.REPLAYED).isNotEqualTo(true))
                    .filter(exchangeProperty(BatchLines.IN_FLIGHT_AT_CRASH).isEqualTo(true))
                        .to("bean-validator:bridge-command")
                        .process(lines::refuseInFlightAtCrash)
                    .end()
                    // Within the adaptive limit (AdaptiveLimit): waiting for a place comes before the
                    // line is journaled as sent.
                    .process(gate::enter)
                    .doTry()
                        .process(lines::markSent)
                        .to(BridgeRoutes.CALL_CXONE)
                    .doFinally()
                        .process(gate::leave)
                    .end()
                .end();
        // spotless:on
    }
}
