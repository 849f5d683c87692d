package dev.sparkgate.bridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between a client and the gateway that a test can make drop every connection it carries, as a flaky
 * network or a restarting load balancer does. Besides {@link #dropAll()}, a connection to its control port drops them
 * (for tests in another process, such as Python's): it answers {@code dropped N} with the number dropped, and closes.
 */
public final class DroppingProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ServerSocket control;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private DroppingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.control = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** A proxy on a free loopback port to {@code 127.0.0.1:targetPort}. */
    public static DroppingProxy to(int targetPort) {
        try {
            DroppingProxy proxy = new DroppingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
            daemon("proxy-accept", proxy::accept);
            daemon("proxy-control", proxy::serveControl);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the proxy", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int controlPort() {
        return control.getLocalPort();
    }

    /** Drops every connection the proxy carries now, both ends at once; returns how many client connections. */
    public int dropAll() {
        List<Socket> now = List.copyOf(open);
        now.forEach(DroppingProxy::closeQuietly);
        open.removeAll(now);
        return now.size() / 2;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        closeQuietly(control);
        dropAll();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5000);
                } catch (IOException refused) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                daemon("proxy-up", () -> pump(client, upstream));
                daemon("proxy-down", () -> pump(upstream, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveControl() {
        while (!control.isClosed()) {
            try (Socket request = control.accept(); OutputStream answer = request.getOutputStream()) {
                answer.write(("dropped " + dropAll() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                if (control.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Copies one direction until either end closes, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException dropped) {
            // one end went away: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is all we want
        }
    }
}
