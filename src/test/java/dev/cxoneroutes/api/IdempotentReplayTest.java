package dev.cxoneroutes.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
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
