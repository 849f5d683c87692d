package dev.sparkgate.gateway.identity;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC bearer tokens against an issuer served by the test over HTTP with real RSA keys: only a token signed by a
 * published key, from the issuer, for this audience, within its validity, is a user; every other is refused with
 * what was wrong, never an exception.
 */
class OidcBearerTest {

    private static final RSAKey KEY = JwksServer.newKey("k1");
    private static JwksServer issuer;
    private static OidcBearer oidc;

    @BeforeAll
    static void startIssuer() {
        issuer = new JwksServer().publish(KEY);
        oidc = new OidcBearer(JwksServer.ISSUER, issuer.jwks(), JwksServer.AUDIENCE, "preferred_username", "groups");
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void aValidTokenNamesItsUserAndGroups() {
        Authenticator.Verdict verdict = oidc.authenticate(bearer(JwksServer.sign(KEY,
                JwksServer.claims("alice", "team-a", "analysts").build())));

        assertThat(verdict).isInstanceOfSatisfying(Authenticator.Verdict.Accepted.class, accepted -> {
            assertThat(accepted.user().name()).isEqualTo("alice");
            assertThat(accepted.user().groups()).containsExactlyInAnyOrder("team-a", "analysts");
            assertThat(accepted.user().admin()).isFalse();
        });
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant past = Instant.now().minusSeconds(3600);
        String token = JwksServer.sign(KEY, JwksServer.claims("alice").issueTime(Date.from(past.minusSeconds(60)))
                .notBeforeTime(Date.from(past.minusSeconds(60))).expirationTime(Date.from(past)).build());

        assertThat(refusal(token)).contains("Expired JWT");
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        String token = JwksServer.sign(KEY, JwksServer.claims("alice")
                .notBeforeTime(Date.from(Instant.now().plusSeconds(3600))).build());

        assertThat(refusal(token)).contains("before use time");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String token = JwksServer.sign(KEY, JwksServer.claims("alice").audience("another-service").build());

        assertThat(refusal(token)).contains("aud claim rejected");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        String token = JwksServer.sign(KEY, JwksServer.claims("alice").issuer("https://evil.example").build());

        assertThat(refusal(token)).contains("iss");
    }

    @Test
    void aTokenSignedByAnUnpublishedKeyIsRefusedAfterLookingForTheKeyAgain() {
        String token = JwksServer.sign(JwksServer.newKey("k-unknown"), JwksServer.claims("alice").build());
        int fetchesBefore = issuer.fetches();

        String why = refusal(token);

        assertThat(why).contains("refused");
        assertThat(issuer.fetches()).as("the JWKS fetched again for the unknown key id").isGreaterThan(fetchesBefore);
    }

    @Test
    void aForgedSignatureUnderAPublishedKeyIdIsRefused() {
        RSAKey impostor = JwksServer.newKey("k1");  // same key id, another key
        String forged = JwksServer.sign(impostor, JwksServer.claims("alice").build());

        assertThat(refusal(forged)).contains("Signed JWT rejected");
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String[] parts = JwksServer.sign(KEY, JwksServer.claims("alice").build()).split("\\.");
        String admin = Base64.getUrlEncoder().withoutPadding().encodeToString(
                JwksServer.claims("root").build().toString().getBytes(StandardCharsets.UTF_8));

        assertThat(refusal(parts[0] + "." + admin + "." + parts[2])).contains("refused");
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefused() {
        String unsigned = new PlainJWT(JwksServer.claims("alice").build()).serialize();

        assertThat(unsigned).endsWith(".");
        assertThat(refusal(unsigned)).contains("refused");
    }

    @Test
    void aKeyTheIssuerPublishesLaterIsAcceptedOnceFetched() throws InterruptedException {
        RSAKey rotated = JwksServer.newKey("k2");
        issuer.publish(rotated);
        Thread.sleep(1100);  // past the refetch rate limit, which other tests may have used

        Authenticator.Verdict verdict = oidc.authenticate(bearer(JwksServer.sign(rotated,
                JwksServer.claims("bob").build())));

        assertThat(verdict).isInstanceOfSatisfying(Authenticator.Verdict.Accepted.class,
                accepted -> assertThat(accepted.user().name()).isEqualTo("bob"));
    }

    @Test
    void garbageInJwtShapeIsRefusedAndOtherTokensAreLeftToOtherWaysIn() {
        assertThat(refusal("a.b.c")).contains("not");
        assertThat(oidc.authenticate(bearer("plain-token"))).isInstanceOf(Authenticator.Verdict.Pass.class);
    }

    private static String refusal(String token) {
        Authenticator.Verdict verdict = oidc.authenticate(bearer(token));
        assertThat(verdict).isInstanceOf(Authenticator.Verdict.Refused.class);
        return ((Authenticator.Verdict.Refused) verdict).why();
    }

    private static Credentials bearer(String token) {
        return Credentials.parse("Bearer " + token, null, "127.0.0.1", name -> null);
    }
}
