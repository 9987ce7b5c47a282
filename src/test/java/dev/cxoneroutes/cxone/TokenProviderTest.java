package dev.cxoneroutes.cxone;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.MutableClock;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token caching against a stub token endpoint, on a clock the test moves. */
class TokenProviderTest {

    CxoneStub cxone;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
    AtomicInteger fetches = new AtomicInteger();
    TokenProvider tokens;

    @BeforeEach
    void start() {
        cxone = new CxoneStub();
        Map<String, String> values = cxone.liveSettings();
        CxoneSettings settings = CxoneSettings.load(new Settings(key -> Optional.ofNullable(values.get(key))), "");
        tokens = new TokenProvider(
                settings, HttpClient.newHttpClient(), new ObjectMapper(), clock, fetches::incrementAndGet);
    }

    @AfterEach
    void stop() {
        cxone.close();
    }

    @Test
    void reuses_a_token_until_sixty_seconds_before_it_expires() {
        cxone.stubToken("first", 3600);
        assertThat(tokens.accessToken()).isEqualTo("first");

        cxone.stubToken("second", 3600);
        clock.advance(Duration.ofSeconds(3539));
        assertThat(tokens.accessToken()).isEqualTo("first");
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.accessToken()).isEqualTo("second");
        assertThat(fetches).hasValue(2);
        assertThat(tokenRequests()).isEqualTo(2);
    }

    @Test
    void drops_a_rejected_token_but_not_a_newer_one() {
        cxone.stubToken("first", 3600);
        String rejected = tokens.accessToken();
        cxone.stubToken("second", 3600);

        tokens.invalidate(rejected);
        assertThat(tokens.accessToken()).isEqualTo("second");
        tokens.invalidate(rejected); // a late 401 for the old token must not drop the new one
        assertThat(tokens.accessToken()).isEqualTo("second");
        assertThat(tokenRequests()).isEqualTo(2);
    }

    @Test
    void refreshes_short_lived_tokens_at_half_their_life() {
        cxone.stubToken("short", 60);
        tokens.accessToken();
        clock.advance(Duration.ofSeconds(29));
        tokens.accessToken();
        assertThat(tokenRequests()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        tokens.accessToken();
        assertThat(tokenRequests()).isEqualTo(2);
    }

    @Test
    void a_refused_token_request_says_which_status_and_never_holds_the_secret() {
        cxone.server()
                .stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withStatus(403)));

        TokenRequestFailedException failure =
                org.junit.jupiter.api.Assertions.assertThrows(TokenRequestFailedException.class, tokens::accessToken);
        assertThat(failure.statusCode()).isEqualTo(403);
        assertThat(failure.getMessage()).doesNotContain(CxoneStub.CLIENT_SECRET);
        assertThat(CxoneFailure.classify(failure).kind()).isEqualTo(FailureKind.AUTH_FAILED);
    }

    private int tokenRequests() {
        return cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH)));
    }
}
