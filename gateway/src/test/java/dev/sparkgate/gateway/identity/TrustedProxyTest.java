package dev.sparkgate.gateway.identity;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A proxy's user headers name the user only when the request comes from the proxy's own address. */
class TrustedProxyTest {

    private final TrustedProxy proxy = new TrustedProxy(Set.of("10.0.0.5"), "X-Forwarded-User", "X-Forwarded-Groups");
    private final Map<String, String> headers = Map.of("X-Forwarded-User", "alice",
            "X-Forwarded-Groups", "team-a, ops");

    @Test
    void fromTheProxysAddressItsHeadersAreTheUser() {
        Authenticator.Verdict verdict = proxy.authenticate(Credentials.parse(null, null, "10.0.0.5", headers::get));

        assertThat(verdict).isEqualTo(new Authenticator.Verdict.Accepted(
                new User("alice", Set.of("team-a", "ops"), false, "proxy")));
    }

    @Test
    void fromAnywhereElseTheSameHeadersAreIgnored() {
        assertThat(proxy.authenticate(Credentials.parse(null, null, "10.0.0.6", headers::get)))
                .isInstanceOf(Authenticator.Verdict.Pass.class);
        assertThat(proxy.authenticate(Credentials.parse(null, null, "10.0.0.5", name -> null)))
                .as("the proxy's address without a user header").isInstanceOf(Authenticator.Verdict.Pass.class);
    }

    @Test
    void malformedAuthorizationHeadersAreNamedNotThrown() {
        assertThat(Credentials.parse("Basic !!!", null, "1.2.3.4", name -> null).malformed()).contains("base64");
        assertThat(Credentials.parse("Basic Zm9v", null, "1.2.3.4", name -> null).malformed()).contains("user:token");
        assertThat(Credentials.parse("Bearer", null, "1.2.3.4", name -> null).malformed()).contains("no credentials");
        assertThat(Credentials.parse("Negotiate abc", null, "1.2.3.4", name -> null).malformed())
                .contains("'Negotiate'");
        assertThat(Credentials.parse(null, "t", "1.2.3.4", name -> null).token()).as("?token=").isEqualTo("t");
    }
}
