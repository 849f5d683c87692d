package dev.sparkgate.gateway.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client (of the session stream, or of a kernel's channels) that connects and then reads nothing until
 * asked: what a stalled browser tab, a paused kernel or a hung notebook server looks like to the gateway. A raw socket with a small receive buffer, so the gateway's writes back up quickly.
 */
public final class StalledWebSocketClient implements AutoCloseable {

    /** How the connection ended: the close frame's code and reason (-1 and empty when it was dropped without one). */
    public record Ending(int code, String reason, long payloadBytesRead) {
    }

    private final Socket socket;
    private final DataInputStream in;

    private StalledWebSocketClient(Socket socket, DataInputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /** A session's stream. */
    public static StalledWebSocketClient connect(URI base, int sessionId, String token) throws IOException {
        return connect(base, "/sessions/" + sessionId + "/stream" + (token == null ? "" : "?token=" + token));
    }

    /** Any of the gateway's WebSockets, by path (and query). */
    public static StalledWebSocketClient connect(URI base, String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        String key = Base64.getEncoder().encodeToString("sparkgate-stalled".getBytes(StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String status = readLine(in);
        if (!status.contains(" 101 ")) {
            socket.close();
            throw new AssertionError("the gateway refused the upgrade of " + path + ": " + status);
        }
        while (!readLine(in).isEmpty()) {
            // the rest of the handshake's headers
        }
        return new StalledWebSocketClient(socket, in);
    }

    /** Reads everything the gateway sent until it closed the connection, up to {@code timeoutMillis} per read. */
    public Ending drain(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        long payload = 0;
        try {
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] body = in.readNBytes((int) length);
                if (opcode == 0x8) {
                    int code = body.length >= 2 ? ((body[0] & 0xFF) << 8) | (body[1] & 0xFF) : -1;
                    String reason = body.length > 2 ? new String(body, 2, body.length - 2, StandardCharsets.UTF_8) : "";
                    return new Ending(code, reason, payload);
                }
                payload += length;
            }
        } catch (EOFException | java.net.SocketException dropped) {
            return new Ending(-1, "", payload);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the gateway closed the connection during the handshake");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
