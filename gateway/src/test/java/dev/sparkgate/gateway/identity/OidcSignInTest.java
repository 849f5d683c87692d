package dev.sparkgate.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The page's "Sign in with" an OIDC issuer, over real HTTP against a provider the test serves ({@link OidcProvider}:
 * real RSA keys, PKCE and one-time codes checked as a real provider checks them), a browser's way: following
 * redirects and keeping cookies. Signing in at the provider ends on the page with the sign-in cookie, which lists
 * the user's sessions. A return with another state, a replayed code, an ID token with a wrong nonce or expired, and
 * a provider that has gone away each end on a 4xx page saying what went wrong, with no sign-in cookie. One gateway;
 * no driver starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcSignInTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final OidcProvider PROVIDER = new OidcProvider();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().with(PROVIDER.gatewaySettings())
            .with(Map.of("SPARKGATE_TOKEN", "the-operators-token", "SPARKGATE_ADMIN_GROUPS", "ops"));

    @AfterAll
    static void stopProvider() {
        PROVIDER.close();
    }

    @Test
    @Order(1)
    void signingInAtTheProviderEndsOnThePageSignedInWithTheUsersSessions() {
        Browser browser = new Browser(HttpClient.Redirect.NORMAL);
        PROVIDER.signsIn("erin", "team-a", "ops");

        HttpResponse<String> landed = browser.get("/auth/oidc/start?next=/sessions", "text/html");

        assertThat(landed.statusCode()).as("where the redirects ended: %s", landed.uri()).isEqualTo(200);
        assertThat(landed.uri().getPath()).isEqualTo("/sessions");
        assertThat(landed.body()).contains("sparkgate-config");
        assertThat(browser.cookie("sparkgate_sign_in")).as("the sign-in cookie").isNotBlank();
        JsonNode me = Json.read(browser.get("/auth/me", "application/json").body(), JsonNode.class);
        assertThat(me.path("user").asText()).isEqualTo("erin");
        assertThat(me.path("admin").asBoolean()).as("ops is the admins' group").isTrue();
        assertThat(me.path("csrfToken").asText()).isNotBlank();
        HttpResponse<String> sessions = browser.get("/sessions", "application/json");
        assertThat(sessions.statusCode()).as(sessions.body()).isEqualTo(200);
        assertThat(Json.read(sessions.body(), JsonNode.class).path("sessions").isArray()).isTrue();
    }

    @Test
    @Order(2)
    void thePageOffersTheProvidersButtonAndAFinishedSignInReturnsToTheSessionItStartedFrom() {
        Browser browser = new Browser(HttpClient.Redirect.NORMAL);
        PROVIDER.signsIn("frank", "team-b");

        assertThat(browser.get("/sessions", "text/html").body()).contains("\"oidcSignIn\":\"" + PROVIDER.issuer());
        HttpResponse<String> landed = browser.get("/auth/oidc/start?next=/sessions/7", "text/html");

        assertThat(landed.uri().getPath()).isEqualTo("/sessions/7");
        assertThat(Json.read(browser.get("/auth/me", "application/json").body(), JsonNode.class).path("user").asText())
                .isEqualTo("frank");
        assertThat(new Browser(HttpClient.Redirect.NORMAL).get("/auth/oidc/start?next=https://evil.example/x",
                "text/html").uri().getPath()).as("never sent to another site").isEqualTo("/sessions");
    }

    @Test
    @Order(3)
    void aReturnWithAnotherStateIsRefusedAndSignsNobodyIn() {
        Browser browser = new Browser(HttpClient.Redirect.NEVER);
        URI callback = browser.throughProvider();
        String forged = callback.getRawQuery().replaceAll("state=[^&]+", "state=someone-elses-state");

        HttpResponse<String> refused = browser.get("/auth/oidc/callback?" + forged, "text/html");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Sign-in failed").contains("did not start in this browser");
        assertThat(browser.cookie("sparkgate_sign_in")).isNull();
    }

    @Test
    @Order(4)
    void aReplayedCodeIsRefusedBothAsAReturnAndInANewSignIn() {
        Browser browser = new Browser(HttpClient.Redirect.NEVER);
        URI callback = browser.throughProvider();
        assertThat(browser.get(pathAndQuery(callback), "text/html").statusCode()).isEqualTo(303);
        Browser thief = new Browser(HttpClient.Redirect.NEVER);

        HttpResponse<String> replayed = browser.get(pathAndQuery(callback), "text/html");
        URI fresh = thief.throughProvider();
        String code = query(callback, "code");
        HttpResponse<String> withOldCode = thief.get("/auth/oidc/callback?code=" + code + "&state="
                + query(fresh, "state"), "text/html");

        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("already finished");
        assertThat(withOldCode.statusCode()).isEqualTo(401);
        assertThat(withOldCode.body()).contains("refused the sign-in's code")
                .contains("invalid_grant");
        assertThat(thief.cookie("sparkgate_sign_in")).isNull();
    }

    @Test
    @Order(5)
    void anIdTokenWithAnotherNonceIsRefused() {
        HttpResponse<String> refused = signInWithTamperedIdToken(claims -> claims.claim("nonce", "another-nonce"));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("ID token").contains("nonce");
    }

    @Test
    @Order(6)
    void anExpiredIdTokenIsRefused() {
        Instant past = Instant.now().minusSeconds(3600);
        HttpResponse<String> refused = signInWithTamperedIdToken(claims -> claims
                .issueTime(Date.from(past.minusSeconds(300))).expirationTime(Date.from(past)));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("ID token").containsIgnoringCase("expired");
    }

    @Test
    @Order(7)
    void anIdTokenForAnotherClientIsRefused() {
        HttpResponse<String> refused = signInWithTamperedIdToken(claims -> claims.audience("another-client"));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("ID token").containsIgnoringCase("audience");
    }

    @Test
    @Order(100)
    void aProviderThatWentAwayEndsOnAClearRefusalNotAnError() {
        Browser browser = new Browser(HttpClient.Redirect.NEVER);
        URI callback = browser.throughProvider();
        PROVIDER.close();

        HttpResponse<String> refused = browser.get(pathAndQuery(callback), "text/html");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("could not be reached").contains("Try again");
        assertThat(browser.cookie("sparkgate_sign_in")).isNull();
    }

    @Test
    void aProviderDownAtTheFirstSignInIsAClearRefusal() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String issuer = "http://127.0.0.1:" + closedPort;
        OidcSignIn oidc = IdentityChain.of(null, IdentitySettings.fromEnvironment(Map.of(
                "SPARKGATE_OIDC_ISSUER", issuer, "SPARKGATE_OIDC_JWKS_URL", issuer + "/jwks.json",
                "SPARKGATE_OIDC_AUDIENCE", "a", "SPARKGATE_OIDC_CLIENT_ID", "c"))).oidcSignIn().orElseThrow();

        assertThatThrownBy(() -> oidc.start(URI.create("http://gateway/auth/oidc/callback"), "/sessions"))
                .isInstanceOfSatisfying(SignInRefused.class, refused -> {
                    assertThat(refused.status()).isEqualTo(401);
                    assertThat(refused.getMessage()).contains("could not be asked for its endpoints")
                            .contains(".well-known/openid-configuration");
                });
    }

    private static HttpResponse<String> signInWithTamperedIdToken(UnaryOperator<com.nimbusds.jwt.JWTClaimsSet.Builder>
                                                                          change) {
        Browser browser = new Browser(HttpClient.Redirect.NEVER);
        URI callback = browser.throughProvider();
        PROVIDER.tamperWithIdTokens(change);
        try {
            HttpResponse<String> response = browser.get(pathAndQuery(callback), "text/html");
            assertThat(browser.cookie("sparkgate_sign_in")).isNull();
            return response;
        } finally {
            PROVIDER.tamperWithIdTokens(UnaryOperator.identity());
        }
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    private static String query(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " not in " + uri);
    }

    /** A browser's HTTP: its own cookie jar, and redirects followed or not. */
    private static final class Browser {

        private final CookieManager cookies = new CookieManager();
        private final HttpClient http;

        Browser(HttpClient.Redirect redirects) {
            http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(redirects)
                    .connectTimeout(TIMEOUT).build();
        }

        HttpResponse<String> get(String path, String accept) {
            URI uri = path.startsWith("http") ? URI.create(path) : gateway.baseUri().resolve(path);
            try {
                return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", accept).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Starts a sign-in and goes through the provider's page, stopping at the return to the gateway. */
        URI throughProvider() {
            HttpResponse<String> toProvider = get("/auth/oidc/start", "text/html");
            assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
            HttpResponse<String> back = get(toProvider.headers().firstValue("Location").orElseThrow(), "text/html");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
            URI callback = URI.create(back.headers().firstValue("Location").orElseThrow());
            assertThat(callback.getPath()).isEqualTo("/auth/oidc/callback");
            return callback;
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .filter(c -> !c.hasExpired() && !c.getValue().isEmpty()).map(HttpCookie::getValue).findFirst()
                    .orElse(null);
        }
    }
}
