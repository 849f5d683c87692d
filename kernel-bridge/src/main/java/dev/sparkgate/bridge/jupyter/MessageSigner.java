package dev.sparkgate.bridge.jupyter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Jupyter's message signature: an HMAC, hex-encoded, over a message's header, parent header, metadata and content,
 * with the key and scheme of the connection file. An empty key means unsigned messages.
 */
final class MessageSigner {

    private final SecretKeySpec key;
    /**
     * One keyed Mac per thread that signs (the I/O thread verifies, the shell, control and stream threads sign; a Mac
     * is not thread-safe): looking the algorithm up and keying a Mac for every message cost more than the HMAC itself.
     */
    private final ThreadLocal<Mac> macs;

    MessageSigner(String key, String scheme) {
        if (key == null || key.isEmpty()) {
            this.key = null;
            this.macs = null;
            return;
        }
        String normalized = scheme == null ? "hmac-sha256" : scheme.toLowerCase(Locale.ROOT);
        if (!normalized.startsWith("hmac-")) {
            throw new IllegalArgumentException("Unsupported signature scheme '" + scheme + "': use hmac-sha256.");
        }
        String algorithm = "Hmac" + normalized.substring(5).toUpperCase(Locale.ROOT).replace("-", "");
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm);
        this.macs = ThreadLocal.withInitial(this::mac);
        macs.get(); // fail now, with the scheme's name, rather than on the first message
    }

    String sign(byte[]... parts) {
        if (key == null) {
            return "";
        }
        Mac mac = macs.get(); // doFinal leaves it reset for the next message
        for (byte[] part : parts) {
            mac.update(part);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    boolean verify(String signature, byte[]... parts) {
        return key == null || MessageDigest.isEqual(sign(parts).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot sign with " + key.getAlgorithm() + ": " + e.getMessage(), e);
        }
    }
}
