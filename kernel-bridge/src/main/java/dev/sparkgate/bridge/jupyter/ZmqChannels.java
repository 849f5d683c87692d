package dev.sparkgate.bridge.jupyter;

import dev.sparkgate.jupyter.JupyterMessage;
import dev.sparkgate.jupyter.Kernel;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A kernel's five ZeroMQ sockets, bound as the connection file says. ZeroMQ sockets are not thread-safe, so one I/O
 * thread owns shell, control, stdin and iopub: it reads requests and hands them to the {@link Kernel}, and sends
 * whatever other threads queued, woken by a pipe. The heartbeat echoes on its own thread, so a busy kernel still
 * answers it.
 */
final class ZmqChannels implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("sparkgate.kernel");

    private record Outgoing(ZMQ.Socket socket, List<byte[]> frames) {
    }

    private final ZContext context = new ZContext();
    private final WireCodec codec;
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket stdin;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket heartbeat;
    private final Pipe wakeUp;
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    ZmqChannels(ConnectionFile connection) {
        this.codec = new WireCodec(new MessageSigner(connection.key(), connection.signatureScheme()));
        this.shell = bind(SocketType.ROUTER, connection, connection.shellPort());
        this.control = bind(SocketType.ROUTER, connection, connection.controlPort());
        this.stdin = bind(SocketType.ROUTER, connection, connection.stdinPort());
        this.iopub = bind(SocketType.PUB, connection, connection.iopubPort());
        this.heartbeat = bind(SocketType.REP, connection, connection.hbPort());
        heartbeat.setReceiveTimeOut(500);
        try {
            this.wakeUp = Pipe.open();
            wakeUp.source().configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ZMQ.Socket bind(SocketType type, ConnectionFile connection, int port) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(1000);
        String address = connection.address(port);
        if (!socket.bind(address)) {
            throw new IllegalStateException("Cannot bind " + type + " on " + address + ": is the port taken?");
        }
        return socket;
    }

    /** Serves {@code kernel} until {@link #close()}: starts the I/O and heartbeat threads. */
    void serve(Kernel kernel) {
        start("jupyter-heartbeat", this::echoHeartbeats);
        start("jupyter-io", () -> pump(kernel));
    }

    /** Publishes on iopub; any thread may call it, messages leave in the order of the calls. */
    void publish(JupyterMessage message) {
        queue(iopub, codec.encode(List.of(topic(message)), message));
    }

    private void pump(Kernel kernel) {
        try (ZMQ.Poller poller = context.createPoller(4)) {
            int shellItem = poller.register(shell, ZMQ.Poller.POLLIN);
            int controlItem = poller.register(control, ZMQ.Poller.POLLIN);
            int stdinItem = poller.register(stdin, ZMQ.Poller.POLLIN);
            poller.register(wakeUp.source(), ZMQ.Poller.POLLIN);
            while (!closed) {
                poller.poll(1000);
                if (poller.pollin(controlItem)) {
                    receive(control, JupyterMessage.CONTROL, kernel);
                }
                if (poller.pollin(shellItem)) {
                    receive(shell, JupyterMessage.SHELL, kernel);
                }
                if (poller.pollin(stdinItem)) {
                    receive(stdin, JupyterMessage.STDIN, kernel);
                }
                drainWakeUps();
                flush();
            }
            flush();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the kernel's I/O stopped", e);
        }
    }

    private void receive(ZMQ.Socket socket, String channel, Kernel kernel) {
        List<byte[]> frames = new ArrayList<>();
        do {
            frames.add(socket.recv(ZMQ.DONTWAIT));
        } while (socket.hasReceiveMore());
        try {
            WireCodec.Envelope envelope = codec.decode(frames, channel);
            kernel.handle(envelope.message(), reply -> queue(socket, codec.encode(envelope.identities(), reply)));
        } catch (WireCodec.RejectedMessage e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a message on " + channel + ": " + e.getMessage());
        }
    }

    private void queue(ZMQ.Socket socket, List<byte[]> frames) {
        outbox.add(new Outgoing(socket, frames));
        wake();
    }

    private void wake() {
        try {
            wakeUp.sink().write(ByteBuffer.wrap(new byte[] {1}));
        } catch (IOException closedMeanwhile) {
            // the kernel is shutting down; the message goes nowhere
        }
    }

    private void flush() {
        for (Outgoing out = outbox.poll(); out != null; out = outbox.poll()) {
            List<byte[]> frames = out.frames();
            for (int i = 0; i < frames.size(); i++) {
                out.socket().send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        }
    }

    private void drainWakeUps() {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        try {
            while (wakeUp.source().read(buffer) > 0) {
                buffer.clear();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    private void echoHeartbeats() {
        try {
            while (!closed) {
                byte[] ping = heartbeat.recv();
                if (ping != null) {
                    heartbeat.send(ping);
                }
            }
        } catch (ZMQException e) {
            LOG.log(System.Logger.Level.ERROR, "the kernel's heartbeat stopped", e);
        }
    }

    private static byte[] topic(JupyterMessage message) {
        return ("kernel." + message.msgType()).getBytes(StandardCharsets.UTF_8);
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /**
     * Stops the I/O and heartbeat threads once they sent what is queued (a shutdown reply, say), then closes the
     * sockets, giving ZeroMQ a moment (the sockets' linger) to deliver the last messages.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        for (Thread thread : threads) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        context.close();
        try {
            wakeUp.sink().close();
            wakeUp.source().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
