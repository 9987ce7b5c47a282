package dev.cxoneroutes.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Makes a request with an Idempotency-Key safe to repeat: a repeat within the retention time gets
 * the first answer again, and a repeat that arrives while the first is still running waits for it
 * instead of calling CXone a second time. Only successful answers are kept, so a caller retrying
 * after a 503 gets a real second try. The answers are kept in {@link KeptAnswers}, on disk, so a JMS
 * message redelivered after a restart is answered from there too.
 */
public class IdempotentReplay {

    /** A kept answer: what the first request's caller received. */
    public record StoredAnswer(int status, String body) {}

    private final KeptAnswers answers;
    private final ConcurrentMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Duration maxWaitForFirst;

    public IdempotentReplay(KeptAnswers answers, Duration maxWaitForFirst) {
        this.answers = answers;
        this.maxWaitForFirst = maxWaitForFirst;
    }

    /** Answers kept in memory only: for unit tests. */
    public IdempotentReplay(Duration retention, long maxEntries, Duration maxWaitForFirst) {
        this(KeptAnswers.inMemory(retention, maxEntries, Clock.systemUTC()), maxWaitForFirst);
    }

    /**
     * Claims the exchange's idempotency key (header Idempotency-Key, else the body's
     * {@link ExchangeKeys#OFFERED_IDEMPOTENCY_KEY}, scoped by the exchange's
     * {@link ExchangeKeys#OPERATION}). Sets
     * {@link ExchangeKeys#REPLAYED} with the stored answer as the body when this is a repeat.
     */
    public void claim(Exchange exchange) {
        String operation = exchange.getProperty(ExchangeKeys.OPERATION, String.class);
        String offered = offeredKey(exchange);
        if (offered == null) {
            return;
        }
        String key = operation + ":" + offered.trim();
        exchange.setProperty(ExchangeKeys.IDEMPOTENCY_KEY, key);
        while (true) {
            Optional<StoredAnswer> stored = answers.find(key);
            if (stored.isPresent()) {
                replay(exchange, stored.get());
                return;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        inFlight.remove(key, mine);
                        mine.complete(null);
                    }
                });
                return;
            }
            awaitFirst(running);
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

    /** Keeps a successful answer for replays; failures are not kept. */
    public void remember(Exchange exchange) {
        String key = exchange.getProperty(ExchangeKeys.IDEMPOTENCY_KEY, String.class);
        int status = exchange.getProperty(ExchangeKeys.STATUS, 200, Integer.class);
        if (key == null || status / 100 != 2 || exchange.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class)) {
            return;
        }
        answers.put(key, new StoredAnswer(status, exchange.getMessage().getBody(String.class)));
    }

    private static void replay(Exchange exchange, StoredAnswer answer) {
        exchange.setProperty(ExchangeKeys.REPLAYED, true);
        exchange.setProperty(ExchangeKeys.STATUS, answer.status());
        exchange.getMessage().setBody(answer.body());
    }

    private void awaitFirst(CompletableFuture<Void> running) {
        try {
            running.get(maxWaitForFirst.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("A request with the same Idempotency-Key is still running", e);
        } catch (ExecutionException e) {
            // the first request's outcome is read from the store either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a duplicate request", e);
        }
    }
}
