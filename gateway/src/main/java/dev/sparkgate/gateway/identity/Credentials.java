package dev.sparkgate.gateway.identity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * What a request presents, parsed once: a token (from {@code Authorization: Bearer T}, Jupyter's
 * {@code Authorization: token T}, {@code ?token=T}, or a cookie), or HTTP Basic's user and password, or nothing; its
 * peer address and its headers (for a trusted proxy's). A header that cannot be read is {@link #malformed()}, not an
 * error: the chain answers it with 401 like any credential it does not accept.
 *
 * @param scheme    {@code bearer}, {@code token} (Jupyter's and JupyterHub's), {@code basic}, or null for none
 * @param token     the token, or Basic's password
 * @param basicUser Basic's user name, else null
 * @param malformed what was wrong with the {@code Authorization} header, else null
 */
public record Credentials(String scheme, String token, String basicUser, String malformed, String remoteAddress,
                          UnaryOperator<String> headers) {

    /** {@code authorization}: the header; {@code fallbackToken}: a token from the query or a cookie, else null. */
    public static Credentials parse(String authorization, String fallbackToken, String remoteAddress,
                                    UnaryOperator<String> headers) {
        if (authorization == null || authorization.isBlank()) {
            return new Credentials(fallbackToken == null || fallbackToken.isEmpty() ? null : "bearer",
                    fallbackToken == null || fallbackToken.isEmpty() ? null : fallbackToken, null, null, remoteAddress,
                    headers);
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        String scheme = parts[0].toLowerCase(java.util.Locale.ROOT);
        String value = parts.length == 2 ? parts[1].strip() : "";
        if (value.isEmpty()) {
            return malformed("the Authorization header has no credentials after '" + clip(parts[0]) + "'",
                    remoteAddress, headers);
        }
        switch (scheme) {
            case "bearer", "token" -> {
                return new Credentials(scheme, value, null, null, remoteAddress, headers);
            }
            case "basic" -> {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return malformed("the Basic credentials are not base64", remoteAddress, headers);
                }
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    return malformed("the Basic credentials are not user:token", remoteAddress, headers);
                }
                return new Credentials("basic", decoded.substring(colon + 1), decoded.substring(0, colon), null,
                        remoteAddress, headers);
            }
            default -> {
                return malformed("the Authorization scheme '" + clip(parts[0]) + "' is not one this gateway takes",
                        remoteAddress, headers);
            }
        }
    }

    private static Credentials malformed(String why, String remoteAddress, UnaryOperator<String> headers) {
        return new Credentials(null, null, null, why, remoteAddress, headers);
    }

    /** Whether a token (or Basic password) was presented. */
    public boolean hasToken() {
        return token != null;
    }

    public String header(String name) {
        return headers.apply(name);
    }

    /** Enough of what a client sent to recognise it in a message, never so much that a secret is repeated. */
    private static String clip(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 20 ? printable.substring(0, 20) + "..." : printable;
    }
}
