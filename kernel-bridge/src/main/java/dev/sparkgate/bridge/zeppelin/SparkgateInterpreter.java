package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.client.GatewayException;
import dev.sparkgate.client.SessionStream;
import dev.sparkgate.client.StatementEvents;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.StatementEvent;
import org.apache.zeppelin.interpreter.Interpreter;
import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterException;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.apache.zeppelin.interpreter.thrift.InterpreterCompletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code %sparkgate.spark}, {@code %sparkgate.pyspark} and {@code %sparkgate.sql} have in common: a paragraph
 * is a statement of the interpreter's kind in the {@link SharedSession} of its Zeppelin interpreter session, and its
 * events are shown as they arrive ({@link ParagraphOutput}). Progress and cancel find the paragraph by its id, since
 * Zeppelin calls them from other threads with contexts of their own.
 *
 * <p>Nothing here fails with an exception that a user would see as a stack trace: an unreachable gateway, a wrong
 * token, a session that did not start or died are the paragraph's error result, naming what to change.
 */
public abstract class SparkgateInterpreter extends Interpreter {

    private static final Logger LOG = LoggerFactory.getLogger(SparkgateInterpreter.class);

    private final Map<String, RunningParagraph> running = new ConcurrentHashMap<>();
    private SharedSession ownSession;
    /** Set by open and close, which Zeppelin calls on other threads than the paragraphs'. */
    private volatile SharedSession session;

    protected SparkgateInterpreter(Properties properties) {
        super(properties);
    }

    /** The statement kind this interpreter runs: spark, pyspark or sql. */
    protected abstract String kind();

    @Override
    public void open() throws InterpreterException {
        session = sharedSession();
        session.join();
    }

    @Override
    public void close() {
        if (session != null) {
            running.values().forEach(RunningParagraph::cancel);
            session.leave();
            session = null;
        }
    }

    @Override
    public InterpreterResult interpret(String code, InterpreterContext context) {
        if (code == null || code.isBlank()) {
            return new InterpreterResult(InterpreterResult.Code.SUCCESS);
        }
        if (session == null) {
            return new InterpreterResult(InterpreterResult.Code.ERROR, "The sparkgate interpreter is closed.");
        }
        RunningParagraph paragraph = new RunningParagraph();
        running.put(context.getParagraphId(), paragraph);
        ParagraphOutput output = new ParagraphOutput(context.out);
        try {
            SessionStream stream = session.connect(userOf(context), output::notice);
            if (paragraph.cancelRequested()) {
                return ParagraphOutput.cancelled();
            }
            StatementEvents events = new StatementEvents();
            Submitted statement = submit(userOf(context), stream, code, events, output);
            paragraph.submitted(statement.stream(), statement.id());
            return follow(events, paragraph, output);
        } catch (GatewayException | IllegalArgumentException e) {
            return new InterpreterResult(InterpreterResult.Code.ERROR, InterpreterResult.Type.TEXT,
                    withTheSettingToChange(e));
        } catch (IOException e) {
            return new InterpreterResult(InterpreterResult.Code.ERROR, "Could not write the paragraph's output: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            paragraph.cancel();
            return ParagraphOutput.cancelled();
        } finally {
            running.remove(context.getParagraphId());
        }
    }

    private record Submitted(SessionStream stream, int id) {
    }

    private static String userOf(InterpreterContext context) {
        return context.getAuthenticationInfo() == null ? null : context.getAuthenticationInfo().getUser();
    }

    private Submitted submit(String user, SessionStream stream, String code, StatementEvents events,
                             ParagraphOutput output) {
        try {
            return new Submitted(stream, stream.execute(kind(), code, events));
        } catch (GatewayException refused) {
            if (stream.usable()) {
                throw refused;
            }
            // The session ended a moment ago: go on in a new one, as the next paragraph would.
            SessionStream replacement = session.connect(user, output::notice);
            return new Submitted(replacement, replacement.execute(kind(), code, events));
        }
    }

    /** Shows the statement's events as the stream pushes them, to its {@code finished} event, which always comes. */
    private static InterpreterResult follow(StatementEvents events, RunningParagraph paragraph, ParagraphOutput output)
            throws InterruptedException, IOException {
        while (true) {
            StatementEvent event = events.next();
            if (event instanceof StatementEvent.Finished finished) {
                return output.finish(finished);
            }
            if (event instanceof StatementEvent.Progress progress) {
                paragraph.progress(progress.fraction());
            }
            output.show(event);
        }
    }

    @Override
    public void cancel(InterpreterContext context) {
        RunningParagraph paragraph = running.get(context.getParagraphId());
        if (paragraph != null) {
            paragraph.cancel();
        }
    }

    @Override
    public int getProgress(InterpreterContext context) {
        RunningParagraph paragraph = running.get(context.getParagraphId());
        return paragraph == null ? 0 : paragraph.percent();
    }

    /** Candidates from the session's interpreter; none before the first paragraph started the session. */
    @Override
    public List<InterpreterCompletion> completion(String code, int cursor, InterpreterContext context) {
        SessionStream stream = session == null ? null : session.current();
        if (stream == null) {
            return List.of();
        }
        try {
            return stream.ask(kind(), new InterpreterQuestion.Complete(code, cursor)).candidates().stream()
                    .map(candidate -> new InterpreterCompletion(candidate, candidate, kind()))
                    .toList();
        } catch (GatewayException e) {
            LOG.warn("No completions from Sparkgate session {}: {}", stream.sessionId(), e.getMessage());
            return List.of();
        }
    }

    /** The gateway session this interpreter's paragraphs run in, or null while there is none. */
    Integer gatewaySessionId() {
        SessionStream stream = session == null ? null : session.current();
        return stream == null ? null : stream.sessionId();
    }

    @Override
    public FormType getFormType() {
        // Code keeps its ${...} (Scala's string interpolation, say): only SQL takes Zeppelin's simple forms.
        return FormType.NATIVE;
    }

    /**
     * The shared session of this interpreter's Zeppelin session. It belongs to the session's Scala interpreter,
     * Zeppelin's own idiom for interpreters that share a Spark application; an interpreter without one in its
     * session (a setting that lists only SQL, say) has its own.
     */
    private SharedSession sharedSession() throws InterpreterException {
        SparkgateInterpreter owner = getInterpreterGroup() == null ? null
                : getInterpreterInTheSameSessionByClassName(SparkgateSparkInterpreter.class, false);
        return (owner == null ? this : owner).ownSession();
    }

    private synchronized SharedSession ownSession() {
        if (ownSession == null) {
            ownSession = new SharedSession(getProperties());
        }
        return ownSession;
    }

    private static String withTheSettingToChange(RuntimeException e) {
        String message = e.getMessage();
        if (e instanceof GatewayException gateway && gateway.status() == 401) {
            return message + "\nSet " + SessionSettings.TOKEN + " in the sparkgate interpreter's setting to the "
                    + "gateway's token (SPARKGATE_TOKEN where the gateway runs).";
        }
        if (e instanceof GatewayException gateway && gateway.status() == 0 && message.startsWith("Cannot reach")) {
            return message + "\nSet " + SessionSettings.URL + " in the sparkgate interpreter's setting to the "
                    + "gateway's address, or start the gateway.";
        }
        return message;
    }
}
