package dev.cxoneroutes.cxone;

import static dev.cxoneroutes.testing.Generated.forAll;
import static dev.cxoneroutes.testing.Generated.oneOf;
import static dev.cxoneroutes.testing.Generated.stringOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Generated Retry-After values (RFC 9110 §10.2.3: delay-seconds or an HTTP date), well-formed and
 * not: each is read as CONTRACT §8 says, and whatever CXone sends, the wait before the next attempt
 * is never negative and never longer than CXONE_MAX_BACKOFF_SECONDS.
 */
class RetryAfterPropertyTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final CamelContext CAMEL = new DefaultCamelContext();

    @AfterAll
    static void close() throws Exception {
        CAMEL.close();
    }

    @Test
    void delay_seconds_are_read_as_seconds_whatever_their_size() {
        forAll(
                5_000,
                random -> random.nextInt(4) == 0 ? random.nextInt(100) : random.nextLong() & Long.MAX_VALUE,
                seconds -> {
                    String padded = " ".repeat((int) (seconds % 3)) + seconds + " ".repeat((int) (seconds % 2));
                    assertThat(RetryAfter.parse(padded, CLOCK)).hasValue(Duration.ofSeconds(seconds));
                });
    }

    @Test
    void negative_seconds_are_ignored() {
        forAll(2_000, random -> -1 - (random.nextLong() & (Long.MAX_VALUE - 1)), seconds -> assertThat(
                        RetryAfter.parse(String.valueOf(seconds), CLOCK))
                .isEmpty());
    }

    @Test
    void an_http_date_is_the_time_until_it_and_a_past_one_means_now() {
        forAll(
                5_000,
                random -> (long) (random.nextInt(3) == 0 ? -random.nextInt(10_000_000) : random.nextInt(100_000_000)),
                offset -> {
                    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                            NOW.plusSeconds(offset).atOffset(ZoneOffset.UTC));
                    assertThat(RetryAfter.parse(date, CLOCK))
                            .as(date)
                            .hasValue(Duration.ofSeconds(Math.max(0, offset)));
                });
    }

    @Test
    void anything_else_is_ignored_and_never_throws() {
        forAll(5_000, RetryAfterPropertyTest::garbage, value -> assertThat(RetryAfter.parse(value, CLOCK))
                .as("'%s'", value)
                .isEmpty());
    }

    @Test
    void the_wait_before_the_next_attempt_is_capped_whatever_cxone_sends() {
        RetryDecisions decisions = new RetryDecisions(4, MAX_BACKOFF, (operation, reason) -> {});
        forAll(5_000, RetryAfterPropertyTest::anyRetryAfter, value -> {
            for (int status : List.of(429, 503)) {
                Exchange exchange = new DefaultExchange(CAMEL);
                exchange.setException(new HttpOperationFailedException(
                        "http://cxone.test/api", status, "failed", null, Map.of("retry-after", value), ""));

                decisions.afterFailedAttempt(exchange);

                Long delay = exchange.getMessage().getHeader(Exchange.REDELIVERY_DELAY, Long.class);
                Optional<Duration> asked = RetryAfter.parse(value, Clock.systemUTC());
                if (asked.isEmpty()) {
                    assertThat(delay)
                            .as("no usable Retry-After: exponential backoff decides")
                            .isNull();
                } else {
                    assertThat(delay).isNotNull().isBetween(0L, MAX_BACKOFF.toMillis());
                    if (asked.get().compareTo(MAX_BACKOFF.minusSeconds(5)) < 0 && !value.contains(",")) {
                        assertThat(delay).isEqualTo(asked.get().toMillis());
                    }
                }
            }
        });
    }

    /** Every kind of Retry-After: seconds of any size, dates near and far, negatives, garbage. */
    static String anyRetryAfter(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> String.valueOf(random.nextInt(60));
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> "9".repeat(1 + random.nextInt(40));
            case 3 -> DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now()
                    .plusSeconds(random.nextInt(20_000_000) - 1_000_000)
                    .atOffset(ZoneOffset.UTC));
            case 4 -> "-" + random.nextInt(1000);
            default -> garbage(random);
        };
    }

    /** Neither delay-seconds nor an HTTP date. */
    static String garbage(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> stringOf(random, "abcdefghijklmnopqrstuvwxyz ", 1, 12);
            case 1 -> stringOf(random, "0123456789", 1, 5)
                    + stringOf(random, ".,sms:/e+", 1, 1)
                    + stringOf(random, "0123456789", 1, 3);
            case 2 -> "9".repeat(20 + random.nextInt(30)); // beyond a 64-bit number
            case 3 -> "-" + stringOf(random, "123456789", 1, 1) + stringOf(random, "0123456789", 0, 25)
                    + stringOf(random, "abc", 0, 1);
            case 4 -> oneOf(random, List.of("", " ", "\t", "soon", "never", "Infinity", "NaN", "0x10", "1e3", "+-5"));
            case 5 -> DateTimeFormatter.ISO_INSTANT.format(NOW.plusSeconds(random.nextInt(1000))); // not an HTTP date
            default -> stringOf(random, "MTWFS", 1, 1) + stringOf(random, "MonTueDec, 0123456789:GMT", 4, 30);
        };
    }
}
