package dev.sparkgate.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser REPL's files, read once from the {@code sparkgate-web} jar on the classpath. They never change while
 * the gateway runs, so each is kept in memory with an ETag a browser revalidates against.
 */
final class WebAssets {

    private static final String ROOT = "sparkgate-web/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png");

    record Asset(byte[] bytes, String contentType, String etag) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /** The file at {@code path} (relative, like {@code js/stream.js}); empty for anything else. */
    Optional<Asset> find(String path) {
        // No way out of the web root: the classpath holds the gateway's own resources beside ours.
        if (path.isEmpty() || path.contains("..") || path.startsWith("/") || path.contains("\\")) {
            return Optional.empty();
        }
        String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(path, p -> load(p, type));
    }

    Asset require(String path) {
        return find(path).orElseThrow(() -> new IllegalStateException("The gateway was built without its web page ("
                + ROOT + path + " is missing from the classpath): rebuild with the sparkgate-web module."));
    }

    private static Optional<Asset> load(String path, String type) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(bytes, type, "\"" + digest(bytes) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
