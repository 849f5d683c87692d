package dev.sparkgate.gateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC issuer for tests: real RSA keys, a JWKS served over real HTTP (what it publishes can change, as when an
 * issuer rotates its keys), and tokens signed with any of its keys, published or not.
 */
public final class JwksServer implements AutoCloseable {

    public static final String ISSUER = "https://issuer.sparkgate.test";
    public static final String AUDIENCE = "sparkgate";

    private final HttpServer server;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    public JwksServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published.stream().map(RSAKey::toPublicJWK).toList()))
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public JwksServer publish(RSAKey key) {
        published.add(key);
        return this;
    }

    public URI jwks() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    public int fetches() {
        return fetches.get();
    }

    /** Claims for {@code user} that this issuer's gateway accepts: valid from a minute ago for ten minutes. */
    public static JWTClaimsSet.Builder claims(String user, String... groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("sub-" + user)
                .claim("preferred_username", user).claim("groups", List.of(groups))
                .issueTime(java.util.Date.from(now.minusSeconds(60))).notBeforeTime(java.util.Date.from(now.minusSeconds(60)))
                .expirationTime(java.util.Date.from(now.plusSeconds(600)));
    }

    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
