package dev.sparkgate.gateway.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sparkgate.protocol.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * An OIDC provider for tests, since none can be installed here (no Debian package; PyPI is unreachable): discovery,
 * an authorization endpoint that signs in whoever the test says is at the keyboard, a token endpoint that checks what
 * a real one checks (the client and its secret, the redirect, PKCE S256, each code once) and issues an ID token signed
 * with a real RSA key, and the JWKS, all over real HTTP. Its issuer is its own address. The test can make it
 * misbehave: an ID token with other claims (a wrong nonce, expired), or going away.
 */
public final class OidcProvider implements AutoCloseable {

    public static final String CLIENT_ID = "sparkgate-page";
    public static final String CLIENT_SECRET = "the-clients-secret";

    private record Grant(String redirect, String challenge, String nonce, String user, List<String> groups) {
    }

    private final HttpServer server;
    private final RSAKey key = JwksServer.newKey("provider-key");
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Set<String> spent = ConcurrentHashMap.newKeySet();
    private volatile String user = "erin";
    private volatile List<String> groups = List.of("team-a");
    private volatile UnaryOperator<JWTClaimsSet.Builder> tamper = UnaryOperator.identity();

    public OidcProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/openid-configuration", exchange -> json(exchange, 200, Map.of(
                "issuer", issuer(),
                "authorization_endpoint", issuer() + "/authorize",
                "token_endpoint", issuer() + "/token",
                "jwks_uri", jwks().toString(),
                "response_types_supported", List.of("code"),
                "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "code_challenge_methods_supported", List.of("S256"))));
        server.createContext("/jwks.json", exchange -> json(exchange, 200,
                new JWKSet(key.toPublicJWK()).toJSONObject()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    /** The settings of a gateway that is this provider's client, its page signing in here. */
    public Map<String, String> gatewaySettings() {
        return Map.of("SPARKGATE_OIDC_ISSUER", issuer(),
                "SPARKGATE_OIDC_JWKS_URL", jwks().toString(),
                "SPARKGATE_OIDC_AUDIENCE", "sparkgate-api",
                "SPARKGATE_OIDC_CLIENT_ID", CLIENT_ID,
                "SPARKGATE_OIDC_CLIENT_SECRET_FILE", secretFile().toString());
    }

    /** A file holding {@link #CLIENT_SECRET}, for {@code SPARKGATE_OIDC_CLIENT_SECRET_FILE}. */
    private static Path secretFile() {
        try {
            Path file = Files.createTempFile("sparkgate-oidc-secret", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, CLIENT_SECRET + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public URI jwks() {
        return URI.create(issuer() + "/jwks.json");
    }

    /** Who signs in at the provider's page next. */
    public void signsIn(String name, String... groupNames) {
        this.user = name;
        this.groups = List.of(groupNames);
    }

    /** Changes the claims of the ID tokens issued from now on (identity to stop). */
    public void tamperWithIdTokens(UnaryOperator<JWTClaimsSet.Builder> change) {
        this.tamper = change;
    }

    /** The provider goes away: nothing answers at its address any more. */
    @Override
    public void close() {
        server.stop(0);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null
                || query.get("state") == null || query.get("nonce") == null
                || !query.getOrDefault("scope", "").contains("openid")) {
            json(exchange, 400, Map.of("error", "invalid_request", "error_description", "bad request: " + query));
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(query.get("redirect_uri"), query.get("code_challenge"), query.get("nonce"), user,
                groups));
        exchange.getResponseHeaders().add("Location", query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            json(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        String code = body.getOrDefault("code", "");
        Grant grant = codes.get(code);
        if (grant == null || !spent.add(code)) {
            json(exchange, 400, Map.of("error", "invalid_grant", "error_description", "the code is unknown or spent"));
            return;
        }
        if (!grant.redirect().equals(body.get("redirect_uri"))
                || !grant.challenge().equals(s256(body.getOrDefault("code_verifier", "")))) {
            json(exchange, 400, Map.of("error", "invalid_grant", "error_description", "redirect or PKCE mismatch"));
            return;
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).audience(CLIENT_ID)
                .subject("sub-" + grant.user()).claim("preferred_username", grant.user())
                .claim("groups", grant.groups()).claim("nonce", grant.nonce())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
        json(exchange, 200, Map.of("access_token", UUID.randomUUID().toString(), "token_type", "Bearer",
                "expires_in", 300, "id_token", JwksServer.sign(key, tamper.apply(claims).build())));
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String text) {
        Map<String, String> fields = new HashMap<>();
        if (text == null) {
            return fields;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
