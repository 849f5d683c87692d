package dev.sparkgate.bridge.zeppelin;

import org.apache.zeppelin.interpreter.InterpreterOutput;
import org.apache.zeppelin.interpreter.InterpreterOutputListener;
import org.apache.zeppelin.interpreter.InterpreterResultMessageOutput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A paragraph's {@link InterpreterOutput} with the listener Zeppelin's interpreter process gives it, recording what
 * would be sent on to the notebook and when: a line (or flushed text) appended, or a whole message updated.
 */
final class RecordedOutput implements InterpreterOutputListener {

    /** What reached Zeppelin, when ({@link System#nanoTime()}): appended text, or a message's whole new content. */
    record Arrival(long nanos, int message, boolean append, String text) {
    }

    private final List<Arrival> arrivals = new ArrayList<>();
    final InterpreterOutput out = new InterpreterOutput(this);

    synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    @Override
    public synchronized void onAppend(int index, InterpreterResultMessageOutput out, byte[] line) {
        arrivals.add(new Arrival(System.nanoTime(), index, true, new String(line, StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized void onUpdate(int index, InterpreterResultMessageOutput out) {
        try {
            arrivals.add(new Arrival(System.nanoTime(), index, false,
                    new String(out.toByteArray(), StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void onUpdateAll(InterpreterOutput out) {
    }
}
