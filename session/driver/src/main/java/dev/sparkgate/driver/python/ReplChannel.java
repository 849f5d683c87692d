package dev.sparkgate.driver.python;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgate.protocol.Json;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The driver's end of its link to the Python REPL: JSON lines over a loopback socket that the REPL dials
 * back to, authenticated by a secret handed to it in the environment. Not the REPL's stdout, which belongs
 * to the user's code. See {@code sparkgate_repl/main.py} for the messages.
 */
final class ReplChannel implements AutoCloseable {

    /**
     * Reads the REPL's lines without Jackson's default bound on one string (20 M characters): a cell's value may be
     * larger, and refusing its line would cost the session its Python. The value is bounded afterwards, once, where
     * every interpreter's is ({@code BoundedBundle}), so the driver's link never carries it whole.
     */
    private static final ObjectMapper LINES = lines();

    private final ServerSocket listener;
    private final String secret;
    private Socket socket;
    private BufferedReader in;
    private Writer out;

    private ReplChannel(ServerSocket listener, String secret) {
        this.listener = listener;
        this.secret = secret;
    }

    static ReplChannel listen() throws IOException {
        return new ReplChannel(new ServerSocket(0, 4, InetAddress.getLoopbackAddress()), PySparkGateway.newSecret());
    }

    int port() {
        return listener.getLocalPort();
    }

    String secret() {
        return secret;
    }

    /**
     * Waits for the REPL to connect and prove it knows the secret; connections that do not are dropped.
     *
     * @return false when {@code timeout} passed or {@code worthWaiting} turned false first
     */
    boolean accept(Duration timeout, BooleanSupplier worthWaiting) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        listener.setSoTimeout(200);
        while (System.nanoTime() < deadline && worthWaiting.getAsBoolean()) {
            Socket candidate;
            try {
                candidate = listener.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            candidate.setTcpNoDelay(true);
            candidate.setSoTimeout((int) Math.max(1, Math.min(10_000, (deadline - System.nanoTime()) / 1_000_000)));
            BufferedReader reader = new BufferedReader(new InputStreamReader(candidate.getInputStream(), StandardCharsets.UTF_8));
            try {
                JsonNode hello = Json.MAPPER.readTree(reader.readLine());
                if (hello != null && "hello".equals(hello.path("type").asText()) && MessageDigest.isEqual(
                        secret.getBytes(StandardCharsets.UTF_8), hello.path("secret").asText().getBytes(StandardCharsets.UTF_8))) {
                    candidate.setSoTimeout(0);
                    socket = candidate;
                    in = reader;
                    out = new BufferedWriter(new OutputStreamWriter(candidate.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
                    listener.close();
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // Not our REPL, or not in time: drop it and keep listening.
            }
            candidate.close();
        }
        return false;
    }

    /** Sets how long {@link #receive()} may wait; 0 waits forever. */
    void receiveTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** The next message, or null once the REPL has closed its end. */
    JsonNode receive() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        return LINES.readTree(line);
    }

    private static ObjectMapper lines() {
        ObjectMapper mapper = Json.MAPPER.copy();
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build());
        return mapper;
    }

    void send(Object message) throws IOException {
        String line = Json.write(message);
        synchronized (this) {
            out.write(line);
            out.write('\n');
            out.flush();
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // Closing is best effort: the process behind it is going away too.
        }
    }
}
