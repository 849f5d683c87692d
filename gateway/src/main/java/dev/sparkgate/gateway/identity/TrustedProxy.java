package dev.sparkgate.gateway.identity;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A reverse proxy that authenticated the user itself (oauth2-proxy, an ingress with SSO) and says who it is in
 * headers ({@code X-Forwarded-User}, {@code X-Forwarded-Groups} by default). Those headers are believed only from the
 * proxy's own addresses ({@code SPARKGATE_AUTH_PROXY_ADDRESSES}): from anywhere else they are ignored, since anyone
 * can send them.
 */
public final class TrustedProxy implements Authenticator {

    private final Set<String> addresses;
    private final String userHeader;
    private final String groupsHeader;

    public TrustedProxy(Set<String> addresses, String userHeader, String groupsHeader) {
        this.addresses = Set.copyOf(addresses);
        this.userHeader = userHeader;
        this.groupsHeader = groupsHeader;
    }

    @Override
    public Verdict authenticate(Credentials credentials) {
        if (!addresses.contains(credentials.remoteAddress())) {
            return Verdict.PASS;
        }
        String user = credentials.header(userHeader);
        if (user == null || user.isBlank()) {
            return Verdict.PASS;
        }
        String groups = credentials.header(groupsHeader);
        Set<String> groupSet = groups == null ? Set.of() : Arrays.stream(groups.split(",")).map(String::strip)
                .filter(g -> !g.isEmpty()).collect(Collectors.toSet());
        return new Verdict.Accepted(new User(user.strip(), groupSet, false, "proxy"));
    }

    @Override
    public String accepts() {
        return "sign-in through the trusted proxy (its " + userHeader + " header)";
    }
}
