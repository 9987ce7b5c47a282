package dev.cxoneroutes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.state.AnswerStore;
import dev.cxoneroutes.state.MvStoreAnswerStore;
import dev.cxoneroutes.state.StateStoreUnavailableException;
import dev.cxoneroutes.state.StoredAnswer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a request with an Idempotency-Key safe to repeat: a repeat within the retention time gets
 * the first answer again, and a repeat that arrives while the first is still running waits for it
 * instead of calling CXone a second time. Only successful answers are kept, so a caller retrying
 * after a 503 gets a real second try. Answers and claims live in an {@link AnswerStore}: on disk for
 * one instance, or in PostgreSQL shared by several (CONTRACT §9), so a repeat on another instance,
 * or a JMS message redelivered after a restart, is answered from there too.
 *
 * <p>Repeats on the same instance wait on the first one in memory (woken the moment it ends);
 * repeats on another instance find the key claimed in the store and poll it with a short backoff.
 * Either way they wait at most {@code maxWaitForFirst}.
 *
 * <p>One repeat does not wait: a JMS message delivered again that finds the claim of its own earlier
 * delivery still open. A live instance always remembers or releases its claim before the message's
 * transaction ends, so that earlier delivery's instance died (kill -9, crash, cut off) while the
 * request ran, perhaps with its CXone call open: whether CXone acted is unknown. It is answered
 * {@code OUTCOME_UNKNOWN} at once, never sent to CXone again, and that answer is kept like a success
 * (CONTRACT §9), so later repeats get it too instead of waiting for the dead claim to lapse.
 */
public class IdempotentReplay {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotentReplay.class);
    private static final long FIRST_POLL_MILLIS = 20;
    private static final long MAX_POLL_MILLIS = 250;
    /** Set on an exchange whose failure answer {@link #remember} keeps like a success. */
    private static final String KEEP_FAILURE = "cxrKeepFailure";
    /** The store's write of this exchange's answer, between startRemembering and awaitRemembered. */
    private static final String REMEMBERING = "cxrRemembering";
    /** Reads the code of a kept problem document; configured once, safe to share. */
    private static final ObjectMapper PROBLEM_READER = new ObjectMapper();

    private final AnswerStore answers;
    private final ConcurrentMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Duration maxWaitForFirst;

    public IdempotentReplay(AnswerStore answers, Duration maxWaitForFirst) {
        this.answers = answers;
        this.maxWaitForFirst = maxWaitForFirst;
    }

    /** Answers kept in memory only: for unit tests. */
    public IdempotentReplay(Duration retention, long maxEntries, Duration maxWaitForFirst) {
        this(MvStoreAnswerStore.inMemory(retention, maxEntries, Clock.systemUTC()), maxWaitForFirst);
    }

    /**
     * Claims the exchange's idempotency key (header Idempotency-Key, else the body's
     * {@link ExchangeKeys#OFFERED_IDEMPOTENCY_KEY}, scoped by the exchange's
     * {@link ExchangeKeys#OPERATION}). Sets
     * {@link ExchangeKeys#REPLAYED} with the stored answer as the body when this is a repeat.
     *
     * @throws StateStoreUnavailableException when the store cannot be used
     */
    public void claim(Exchange exchange) {
        String operation = exchange.getProperty(ExchangeKeys.OPERATION, String.class);
        String offered = offeredKey(exchange);
        if (offered == null) {
            return;
        }
        String key = operation + ":" + offered.trim();
        exchange.setProperty(ExchangeKeys.IDEMPOTENCY_KEY, key);
        long deadline = System.nanoTime() + maxWaitForFirst.toNanos();
        long pollMillis = FIRST_POLL_MILLIS;
        while (true) {
            Optional<StoredAnswer> stored = answers.find(key);
            if (stored.isPresent()) {
                replay(exchange, stored.get());
                return;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> running = inFlight.putIfAbsent(key, mine);
            if (running != null) {
                awaitFirst(running, deadline);
                continue;
            }
            boolean claimed = false;
            String holder = exchange.getProperty(ExchangeKeys.CLAIM_HOLDER, String.class);
            try {
                claimed = answers.claim(key, holder);
            } finally {
                if (!claimed) {
                    inFlight.remove(key, mine);
                    mine.complete(null);
                }
            }
            if (claimed) {
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        try {
                            answers.release(key);
                        } catch (RuntimeException e) {
                            // The claim then lapses on its own (the store's claim lease).
                            LOG.warn("Could not release the claim on an idempotency key: {}", e.getMessage());
                        } finally {
                            inFlight.remove(key, mine);
                            mine.complete(null);
                        }
                    }
                });
                return;
            }
            if (exchange.getProperty(ExchangeKeys.REDELIVERED, false, Boolean.class)
                    && answers.claimHeldBy(key, holder)) {
                throw outcomeUnknown(exchange);
            }
            // Another instance runs this key: wait a moment and look again.
            pause(pollMillis, deadline);
            pollMillis = Math.min(pollMillis * 2, MAX_POLL_MILLIS);
        }
    }

    /** The header wins over the body: it is the standard place, and what an HTTP gateway may set. */
    private static String offeredKey(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (header != null && !header.isBlank()) {
            return header;
        }
        String fromBody = exchange.getProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY, String.class);
        return fromBody == null || fromBody.isBlank() ? null : fromBody;
    }

    /**
     * Keeps a successful answer for replays, and the {@code OUTCOME_UNKNOWN} answer to a redelivery
     * whose first delivery died mid-request (CXone may have acted: a repeat must not call it again);
     * other failures are not kept (a drop-file line's OUTCOME_UNKNOWN neither: docs/batch.md). A
     * store that cannot be reached now does not fail the request: CXone has acted, and the caller is
     * better served by its answer than by a 503 inviting a retry that would act twice.
     */
    public void remember(Exchange exchange) {
        startRemembering(exchange);
        awaitRemembered(exchange);
    }

    /**
     * {@link #remember}, begun: the answer is findable by repeats at once and written to the store
     * while the route goes on (publishing the event, also a disk write); {@link #awaitRemembered}
     * must follow before the answer leaves.
     */
    public void startRemembering(Exchange exchange) {
        String key = exchange.getProperty(ExchangeKeys.IDEMPOTENCY_KEY, String.class);
        int status = exchange.getProperty(ExchangeKeys.STATUS, 200, Integer.class);
        if (key == null
                || (status / 100 != 2 && !exchange.getProperty(KEEP_FAILURE, false, Boolean.class))
                || exchange.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class)) {
            return;
        }
        try {
            exchange.setProperty(
                    REMEMBERING,
                    answers.rememberSoon(
                            key, new StoredAnswer(status, exchange.getMessage().getBody(String.class))));
        } catch (StateStoreUnavailableException e) {
            answerNotKept(e);
        }
    }

    /** Returns once the answer {@link #startRemembering} began to keep is kept (or could not be). */
    public void awaitRemembered(Exchange exchange) {
        CompletableFuture<?> remembering = exchange.getProperty(REMEMBERING, CompletableFuture.class);
        if (remembering == null) {
            return;
        }
        exchange.removeProperty(REMEMBERING);
        try {
            remembering.join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof StateStoreUnavailableException cause)) {
                throw e;
            }
            answerNotKept(cause);
        }
    }

    private static void answerNotKept(StateStoreUnavailableException e) {
        LOG.warn("Answered, but the answer could not be kept for replays: {}", e.getMessage());
    }

    private static void replay(Exchange exchange, StoredAnswer answer) {
        exchange.setProperty(ExchangeKeys.REPLAYED, true);
        exchange.setProperty(ExchangeKeys.STATUS, answer.status());
        exchange.getMessage().setBody(answer.body());
        if (answer.status() / 100 != 2) {
            // A kept failure (OUTCOME_UNKNOWN): its event names the code, as the first answer's did.
            JsonNode problem = problemFields(answer.body());
            exchange.setProperty(ExchangeKeys.ERROR_CODE, problem.path("code").asText(null));
            exchange.setProperty(
                    ExchangeKeys.ERROR_MESSAGE, problem.path("detail").asText(null));
        }
    }

    private static JsonNode problemFields(String body) {
        try {
            return PROBLEM_READER.readTree(body == null ? "{}" : body);
        } catch (JsonProcessingException e) {
            return PROBLEM_READER.createObjectNode();
        }
    }

    /** The redelivery of a message whose earlier delivery died holding the key's claim. */
    private static RequestRejectedException outcomeUnknown(Exchange exchange) {
        exchange.setProperty(KEEP_FAILURE, true);
        LOG.warn(
                "Request {} was redelivered from an instance that stopped while running it: answered OUTCOME_UNKNOWN,"
                        + " not sent to CXone again",
                exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class));
        return new RequestRejectedException(
                ProblemCode.OUTCOME_UNKNOWN,
                "The instance that was running this request stopped before it ended, possibly while CXone was"
                        + " acting on it, so whether CXone acted is unknown. It was not sent to CXone again; check"
                        + " in CXone (X-CXone-Request-ID " + exchange.getProperty(ExchangeKeys.REQUEST_ID)
                        + ") before sending it again as a new request.");
    }

    private static void awaitFirst(CompletableFuture<Void> running, long deadline) {
        try {
            running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw stillRunning(e);
        } catch (ExecutionException e) {
            // the first request's outcome is read from the store either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a duplicate request", e);
        }
    }

    private static void pause(long millis, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw stillRunning(null);
        }
        try {
            Thread.sleep(Math.min(millis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a duplicate request", e);
        }
    }

    private static IllegalStateException stillRunning(Throwable cause) {
        return new IllegalStateException("A request with the same Idempotency-Key is still running", cause);
    }
}
