package dev.cxoneroutes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxoneroutes.state.AnswerStore;
import dev.cxoneroutes.state.MvStoreAnswerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where an idempotency key comes from: the Idempotency-Key header, else the body's offer. */
class IdempotentReplayTest {

    final DefaultCamelContext camel = new DefaultCamelContext();
    final IdempotentReplay replay = new IdempotentReplay(Duration.ofHours(1), 100, Duration.ofSeconds(5));

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void replays_a_key_offered_by_the_body() {
        answerFirst(null, "body-key");

        Exchange again = exchange(null, "body-key");
        replay.claim(again);

        assertThat(again.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class))
                .isTrue();
        assertThat(again.getMessage().getBody(String.class)).isEqualTo("{\"first\":true}");
    }

    @Test
    void prefers_the_header_over_the_body() {
        answerFirst("header-key", "body-key");

        Exchange sameHeader = exchange("header-key", "other-body-key");
        replay.claim(sameHeader);
        Exchange bodyKeyOnly = exchange(null, "body-key");
        replay.claim(bodyKeyOnly);

        assertThat(sameHeader.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class))
                .isTrue();
        assertThat(bodyKeyOnly.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class))
                .isFalse();
    }

    @Test
    void scopes_keys_by_operation() {
        answerFirst(null, "shared");

        Exchange handoff = exchange(null, "shared");
        handoff.setProperty(ExchangeKeys.OPERATION, "handoff");
        replay.claim(handoff);

        assertThat(handoff.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class))
                .isFalse();
    }

    @Test
    void a_redelivery_finding_the_claim_of_its_own_dead_delivery_is_answered_outcome_unknown_at_once() {
        // Two instances sharing one store; the first dies holding the claim (its exchange never ends).
        AnswerStore shared = MvStoreAnswerStore.inMemory(Duration.ofHours(1), 100, Clock.systemUTC());
        new IdempotentReplay(shared, Duration.ofSeconds(5)).claim(delivery("crm-9", "jms-message:ID:m-1", false));
        IdempotentReplay survivor = new IdempotentReplay(shared, Duration.ofMillis(200));

        assertThatThrownBy(() -> survivor.claim(delivery("crm-9", "jms-message:ID:m-1", true)))
                .isInstanceOfSatisfying(RequestRejectedException.class, rejected -> assertThat(rejected.code())
                        .isEqualTo(ProblemCode.OUTCOME_UNKNOWN));
        assertThatThrownBy(() -> survivor.claim(delivery("crm-9", "jms-message:ID:m-2", true)))
                .as("another message with the same requestId waits for the claim's holder")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> survivor.claim(delivery("crm-9", "jms-message:ID:m-1", false)))
                .as("not marked redelivered: waits")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keeps_the_outcome_unknown_answer_of_a_dead_delivery_and_replays_it_with_its_code_but_no_other_failure() {
        AnswerStore shared = MvStoreAnswerStore.inMemory(Duration.ofHours(1), 100, Clock.systemUTC());
        new IdempotentReplay(shared, Duration.ofSeconds(5)).claim(delivery("crm-10", "jms-message:ID:m-1", false));
        IdempotentReplay survivor = new IdempotentReplay(shared, Duration.ofSeconds(5));
        Exchange redelivery = delivery("crm-10", "jms-message:ID:m-1", true);
        assertThatThrownBy(() -> survivor.claim(redelivery)).isInstanceOf(RequestRejectedException.class);
        fail(survivor, redelivery, 500, "OUTCOME_UNKNOWN");
        Exchange unavailable = delivery("crm-11", "jms-message:ID:m-2", false);
        survivor.claim(unavailable);
        fail(survivor, unavailable, 503, "CXONE_UNAVAILABLE");
        Exchange lineAfterCrash = exchange(null, "crm-12");
        survivor.claim(lineAfterCrash);
        fail(survivor, lineAfterCrash, 500, "OUTCOME_UNKNOWN");

        Exchange repeat = exchange(null, "crm-10");
        survivor.claim(repeat);
        Exchange retry = exchange(null, "crm-11");
        survivor.claim(retry);
        Exchange lineResent = exchange(null, "crm-12");
        survivor.claim(lineResent);

        assertThat(repeat.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class))
                .isTrue();
        assertThat(repeat.getProperty(ExchangeKeys.STATUS)).isEqualTo(500);
        assertThat(repeat.getProperty(ExchangeKeys.ERROR_CODE)).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(repeat.getProperty(ExchangeKeys.ERROR_MESSAGE)).isEqualTo("unknown");
        assertThat(retry.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class))
                .as("a retry after a 503 deserves a real second try")
                .isFalse();
        assertThat(lineResent.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class))
                .as("a drop-file line's OUTCOME_UNKNOWN is not kept (docs/batch.md)")
                .isFalse();
    }

    /** The failure path's end: the problem document as text, then remember, then the exchange ends. */
    private static void fail(IdempotentReplay replay, Exchange exchange, int status, String code) {
        exchange.setProperty(ExchangeKeys.STATUS, status);
        exchange.setProperty(ExchangeKeys.ERROR_CODE, code);
        exchange.getMessage().setBody("{\"status\":" + status + ",\"detail\":\"unknown\",\"code\":\"" + code + "\"}");
        replay.remember(exchange);
        // As the route's unit of work ends it: a claim it holds is released.
        List<Synchronization> completions = exchange.getExchangeExtension().handoverCompletions();
        if (completions != null) {
            completions.forEach(done -> done.onComplete(exchange));
        }
    }

    /** A JMS delivery of a command with this requestId, as JmsRequests tags it. */
    private Exchange delivery(String requestId, String messageId, boolean redelivered) {
        Exchange exchange = exchange(null, requestId);
        exchange.setProperty(ExchangeKeys.CLAIM_HOLDER, messageId);
        exchange.setProperty(ExchangeKeys.REDELIVERED, redelivered);
        return exchange;
    }

    /** A first request that claims, completes with 200 and is remembered. */
    private void answerFirst(String header, String offered) {
        Exchange first = exchange(header, offered);
        replay.claim(first);
        first.getMessage().setBody("{\"first\":true}");
        first.setProperty(ExchangeKeys.STATUS, 200);
        replay.remember(first);
    }

    private Exchange exchange(String header, String offered) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(ExchangeKeys.OPERATION, "bridge");
        if (header != null) {
            exchange.getMessage().setHeader("Idempotency-Key", header);
        }
        exchange.setProperty(ExchangeKeys.OFFERED_IDEMPOTENCY_KEY, offered);
        return exchange;
    }
}
