package dev.sparkgate.driver.python;

import dev.sparkgate.driver.interpreter.StatementContext;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** A statement context that records everything a cell sends, and when each piece arrived. */
final class RecordingContext implements StatementContext {

    /** One piece of output: which stream, its text, and its arrival time (System.nanoTime). */
    record Chunk(String stream, String text, long arrivedNanos) {
    }

    record Display(Map<String, Object> data, String displayId) {
    }

    private static final AtomicInteger statements = new AtomicInteger();

    private final int statementId = statements.incrementAndGet();
    private final String jobGroup;
    private final List<Chunk> chunks = new CopyOnWriteArrayList<>();
    private final List<Display> displays = new CopyOnWriteArrayList<>();
    private final PrintStream out = new PrintStream(new Recorder("stdout"), true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(new Recorder("stderr"), true, StandardCharsets.UTF_8);

    RecordingContext() {
        this(null);
    }

    RecordingContext(String jobGroup) {
        this.jobGroup = jobGroup;
    }

    @Override
    public int statementId() {
        return statementId;
    }

    @Override
    public String jobGroup() {
        return jobGroup != null ? jobGroup : "sparkgate-test-statement-" + statementId;
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public PrintStream err() {
        return err;
    }

    @Override
    public void display(Map<String, Object> data, String displayId) {
        displays.add(new Display(data, displayId));
    }

    @Override
    public boolean cancelled() {
        return false;
    }

    List<Chunk> chunks() {
        return chunks;
    }

    List<Display> displays() {
        return displays;
    }

    String stdout() {
        return text("stdout");
    }

    String stderr() {
        return text("stderr");
    }

    private String text(String stream) {
        return chunks.stream().filter(c -> c.stream().equals(stream)).map(Chunk::text).collect(Collectors.joining());
    }

    /** Turns each flushed write into one chunk, as the driver's stream does. */
    private final class Recorder extends OutputStream {
        private final String stream;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Recorder(String stream) {
            this.stream = stream;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (pending.size() > 0) {
                chunks.add(new Chunk(stream, pending.toString(StandardCharsets.UTF_8), System.nanoTime()));
                pending.reset();
            }
        }
    }
}
