package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.SqlTable;
import dev.sparkgate.protocol.StatementEvent;
import org.apache.zeppelin.interpreter.InterpreterOutput;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.InterpreterResultMessageOutput;
import org.apache.zeppelin.interpreter.ResultMessages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A statement's events shown in a paragraph as they arrive: the one place where the event model becomes Zeppelin's
 * output.
 * <ul>
 *   <li>printed text streams into the paragraph's text at once, partial lines too. Zeppelin's own {@code %html} or
 *       {@code %table} at the start of a printed line keeps its meaning, as with Zeppelin's Spark interpreter;</li>
 *   <li>rich output becomes a result message of its own: Livy's table as {@code %table}, PNG as {@code %img}, HTML
 *       as {@code %html}, else text. A display that names a display id shown before replaces that message;</li>
 *   <li>the statement's value is shown like a display, with a note when the gateway cut a SQL result's rows;</li>
 *   <li>an error or a cancel is the paragraph's error result, after what the statement printed.</li>
 * </ul>
 */
final class ParagraphOutput {

    /** The gateway's setting that caps SQL rows, named in the note on a cut result. */
    static final String SQL_ROW_CAP_SETTING = "SPARKGATE_SQL_ROW_CAP";

    private final InterpreterOutput out;
    private final Map<String, Integer> messageOfDisplay = new HashMap<>();
    private boolean textNeedsItsOwnMessage;

    ParagraphOutput(InterpreterOutput out) {
        this.out = out;
    }

    /** A message from the interpreter itself, shown as Zeppelin shows its own warnings. */
    void notice(String text) {
        try {
            message(InterpreterResult.Type.HTML, "<div class=\"result-alert alert-warning\" role=\"alert\">"
                    + escapeHtml(text) + "</div>", null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void show(StatementEvent event) throws IOException {
        if (event instanceof StatementEvent.Stream stream) {
            text(stream.text());
        } else if (event instanceof StatementEvent.Display display) {
            bundle(display.data(), display.displayId());
        }
    }

    /** Shows the statement's value, and gives Zeppelin the paragraph's result. */
    InterpreterResult finish(StatementEvent.Finished finished) throws IOException {
        try {
            return switch (finished.outcome()) {
                case ok -> {
                    bundle(finished.result(), null);
                    yield new InterpreterResult(InterpreterResult.Code.SUCCESS);
                }
                case error -> new InterpreterResult(InterpreterResult.Code.ERROR, InterpreterResult.Type.TEXT,
                        describe(finished.error()));
                case cancelled -> cancelled(finished.error());
            };
        } finally {
            out.flush();
        }
    }

    static InterpreterResult cancelled() {
        return new InterpreterResult(InterpreterResult.Code.ERROR, InterpreterResult.Type.TEXT,
                "The paragraph was cancelled.");
    }

    /** Cancelled, with how the interpreter stopped (KeyboardInterrupt and where) when it said so. */
    static InterpreterResult cancelled(StatementEvent.ErrorInfo interpreterError) {
        if (interpreterError == null || "Cancelled".equals(interpreterError.ename())) {
            return cancelled();
        }
        return new InterpreterResult(InterpreterResult.Code.ERROR, InterpreterResult.Type.TEXT,
                "The paragraph was cancelled.\n" + describe(interpreterError));
    }

    private void text(String text) throws IOException {
        if (textNeedsItsOwnMessage) {
            out.setType(InterpreterResult.Type.TEXT);
            textNeedsItsOwnMessage = false;
        }
        out.write(text.getBytes(StandardCharsets.UTF_8));
        // Zeppelin sends text on at each line break; a flush sends a partial line (a progress dot, a prompt) too.
        out.flush();
    }

    private void bundle(Map<String, Object> data, String displayId) throws IOException {
        if (data == null || data.isEmpty()) {
            return;
        }
        Optional<SqlTable> table = SqlTable.in(data);
        if (table.isPresent()) {
            if (table.get().columns().isEmpty()) {
                // A statement without a result set (CREATE VIEW, say): nothing to show.
                return;
            }
            message(InterpreterResult.Type.TABLE, ZeppelinTable.of(table.get()), displayId);
            if (table.get().truncated()) {
                message(InterpreterResult.Type.HTML, ResultMessages.getExceedsLimitRowsMessage(
                        table.get().rows().size(), SQL_ROW_CAP_SETTING).getData(), null);
            }
        } else if (data.get(Mime.PNG) != null) {
            message(InterpreterResult.Type.IMG, data.get(Mime.PNG).toString().replaceAll("\\s", ""), displayId);
        } else if (data.get(Mime.HTML) != null) {
            message(InterpreterResult.Type.HTML, data.get(Mime.HTML).toString(), displayId);
        } else if (data.get(Mime.TEXT) != null) {
            String text = data.get(Mime.TEXT).toString();
            if (displayId == null) {
                text(text.endsWith("\n") ? text : text + "\n");
            } else {
                message(InterpreterResult.Type.TEXT, text, displayId);
            }
        }
    }

    /** A result message of its own, or, for a display id shown before, that message replaced. */
    private void message(InterpreterResult.Type type, String data, String displayId) throws IOException {
        Integer shown = displayId == null ? null : messageOfDisplay.get(displayId);
        InterpreterResultMessageOutput message;
        if (shown != null) {
            message = out.getOutputAt(shown);
            message.setType(type);
            message.clear();
        } else {
            out.setType(type);
            message = out.getCurrentOutput();
            if (displayId != null) {
                messageOfDisplay.put(displayId, out.size() - 1);
            }
            textNeedsItsOwnMessage = true;
        }
        // Straight into the message: its content is data, not text in which Zeppelin looks for %html and the like.
        message.write(data.getBytes(StandardCharsets.UTF_8));
        message.flush();
    }

    /**
     * An error as the session's language shows it: its traceback, which names the exception and its message (a
     * Scala stack, a Python traceback, the compiler's report). Without one, or where it lacks the message, the
     * exception and its message come first.
     */
    static String describe(StatementEvent.ErrorInfo error) {
        StringBuilder traceback = new StringBuilder();
        for (String frame : error.traceback() == null ? List.<String>of() : error.traceback()) {
            String line = frame.stripTrailing();
            if (!line.isEmpty()) {
                traceback.append(line).append('\n');
            }
        }
        String evalue = error.evalue() == null ? "" : error.evalue().strip();
        if (traceback.isEmpty() || !traceback.toString().contains(evalue)) {
            String headline = (error.ename() == null ? "Error" : error.ename()) + (evalue.isEmpty() ? "" : ": " + evalue);
            traceback.insert(0, headline + "\n");
        }
        return traceback.toString();
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
