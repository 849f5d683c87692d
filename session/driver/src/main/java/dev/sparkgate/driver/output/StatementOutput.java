package dev.sparkgate.driver.output;

import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.StreamName;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The stdout and stderr of one running statement. Writes are buffered and sent as {@code stream} events by
 * {@link #flush()}, which the {@link OutputRouter} calls every few milliseconds, so output reaches clients while
 * the statement is still running.
 */
public final class StatementOutput {

    private final int statementId;
    private final Consumer<StatementEvent> events;
    private final StreamBuffer stdout = new StreamBuffer();
    private final StreamBuffer stderr = new StreamBuffer();
    private final PrintStream out = new PrintStream(new BufferTarget(stdout), true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(new BufferTarget(stderr), true, StandardCharsets.UTF_8);

    public StatementOutput(int statementId, Consumer<StatementEvent> events) {
        this.statementId = statementId;
        this.events = events;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    void write(StreamName name, byte[] b, int off, int len) {
        (name == StreamName.stdout ? stdout : stderr).write(b, off, len);
    }

    /** Sends what has been written since the last flush. Serialised so chunks leave in the order written. */
    public synchronized void flush() {
        send(StreamName.stdout, stdout.drain());
        send(StreamName.stderr, stderr.drain());
    }

    /** Sends everything that is left; called once the statement is done. */
    public synchronized void close() {
        out.flush();
        err.flush();
        send(StreamName.stdout, stdout.drainAll());
        send(StreamName.stderr, stderr.drainAll());
    }

    private void send(StreamName name, String text) {
        if (text != null && !text.isEmpty()) {
            events.accept(new StatementEvent.Stream(statementId, name, text));
        }
    }

    private static final class BufferTarget extends OutputStream {
        private final StreamBuffer buffer;

        BufferTarget(StreamBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }
    }
}
