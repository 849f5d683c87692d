package dev.sparkgate.driver.output;

import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.StreamName;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The stdout and stderr of one running statement. Writes are buffered and sent as {@code stream} events by
 * {@link #flush()}, which the {@link OutputRouter} calls every few milliseconds, so output reaches clients while
 * the statement is still running.
 *
 * <p>Bounded twice. Each event carries at most {@link #MAX_CHUNK_CHARS}: the gateway closes a link that sends one
 * message over about 65 MB, and a driver without its link stops. And a statement sends at most
 * {@link #MAX_OUTPUT_BYTES} in all, which the gateway keeps for as long as it keeps the statement: what is printed
 * beyond is counted, not buffered, and a note on stderr at the end says how much was cut and what to do instead.
 */
public final class StatementOutput {

    /** What one statement may print, stdout and stderr together: far more than a notebook shows usefully. */
    public static final int MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
    /** The most text one {@code stream} event carries (at most 6 MiB of JSON, escaped). */
    public static final int MAX_CHUNK_CHARS = 1024 * 1024;

    private final int statementId;
    private final Consumer<StatementEvent> events;
    private final StreamBuffer stdout = new StreamBuffer();
    private final StreamBuffer stderr = new StreamBuffer();
    private final PrintStream out = new PrintStream(new BufferTarget(StreamName.stdout), true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(new BufferTarget(StreamName.stderr), true, StandardCharsets.UTF_8);
    private final AtomicLong written = new AtomicLong();

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

    /** Keeps what fits in the statement's bound; counts the rest. */
    void write(StreamName name, byte[] b, int off, int len) {
        long before = written.getAndAdd(len);
        long room = Math.max(0, MAX_OUTPUT_BYTES - before);
        int kept = (int) Math.min(room, len);
        if (kept > 0) {
            (name == StreamName.stdout ? stdout : stderr).write(b, off, kept);
        }
    }

    /** Sends what has been written since the last flush. Serialised so chunks leave in the order written. */
    public synchronized void flush() {
        send(StreamName.stdout, stdout.drain());
        send(StreamName.stderr, stderr.drain());
    }

    /** Sends everything that is left, and the note when output was cut; called once the statement is done. */
    public synchronized void close() {
        out.flush();
        err.flush();
        send(StreamName.stdout, stdout.drainAll());
        send(StreamName.stderr, stderr.drainAll());
        long cut = written.get() - MAX_OUTPUT_BYTES;
        if (cut > 0) {
            send(StreamName.stderr, "\n[Sparkgate] This statement's output was cut at " + (MAX_OUTPUT_BYTES >> 20)
                    + " MiB: " + cut + " more bytes were not sent. Print less (df.show(n), df.limit(n)), "
                    + "or write large results to a file or table.\n");
        }
    }

    private void send(StreamName name, String text) {
        if (text == null) {
            return;
        }
        for (int from = 0; from < text.length(); ) {
            String chunk = prefix(text.substring(from, Math.min(text.length(), from + MAX_CHUNK_CHARS + 1)),
                    MAX_CHUNK_CHARS);
            events.accept(new StatementEvent.Stream(statementId, name, chunk));
            from += chunk.length();
        }
    }

    /** At most {@code chars} characters of {@code text}, never ending between the halves of a surrogate pair. */
    static String prefix(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
        return text.substring(0, end);
    }

    private final class BufferTarget extends OutputStream {
        private final StreamName name;

        BufferTarget(StreamName name) {
            this.name = name;
        }

        @Override
        public void write(int b) {
            StatementOutput.this.write(name, new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            StatementOutput.this.write(name, b, off, len);
        }
    }
}
