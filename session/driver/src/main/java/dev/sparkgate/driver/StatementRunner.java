package dev.sparkgate.driver;

import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.driver.interpreter.Interpreter;
import dev.sparkgate.driver.output.BoundedBundle;
import dev.sparkgate.driver.output.OutputRouter;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import dev.sparkgate.protocol.StatementEvent.Finished;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a session's statements one after another, each in its own Spark job group, with its output captured and its
 * progress reported. A statement that throws or is cancelled ends as such; the runner goes on with the next.
 */
final class StatementRunner implements AutoCloseable {

    /** How often a cancelled statement's jobs are cancelled again until it ends. */
    private static final long CANCEL_AGAIN_MILLIS = 250;

    private final JavaSparkContext sc;
    private final Interpreters interpreters;
    private final OutputRouter router;
    private final Consumer<StatementEvent> events;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(daemon("statement-runner"));
    private final ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(daemon("progress"));
    private final Map<Integer, RunningStatement> unfinished = new ConcurrentHashMap<>();
    private volatile RunningStatement running;

    StatementRunner(JavaSparkContext sc, Interpreters interpreters, OutputRouter router,
                    Consumer<StatementEvent> events) {
        this.sc = sc;
        this.interpreters = interpreters;
        this.router = router;
        this.events = events;
    }

    void submit(DriverCommand.Execute command) {
        RunningStatement statement = new RunningStatement(command, events);
        unfinished.put(command.statementId(), statement);
        runner.execute(() -> run(statement));
    }

    /** Cancels a queued statement before it starts, or a running one: its Spark jobs, then its interpreter. */
    void cancel(int statementId) {
        RunningStatement statement = unfinished.get(statementId);
        if (statement == null) {
            return;
        }
        statement.markCancelled();
        if (running == statement) {
            cancelJobs(statement);
            interpreters.ifStarted(statement.command().kind()).ifPresent(Interpreter::interrupt);
        }
    }

    /**
     * Cancels the statement's Spark jobs, and again every {@value #CANCEL_AGAIN_MILLIS} ms until it ends: Spark cancels
     * only jobs already running, and a cancelled statement must start none after (a query still being planned when
     * the cancel came, a cell that caught the first cancel and went on to its next action).
     */
    private void cancelJobs(RunningStatement statement) {
        if (running != statement) {
            return;
        }
        sc.cancelJobGroup(statement.jobGroup());
        // The tag reaches the statement's jobs even where its code set a job group of its own (a thread has one
        // group, which sc.setJobGroup replaces; tags add up). Spark 4's SparkSession.interruptTag is this, scoped
        // to a session; one SparkSession per driver makes the context's tags the same thing, on 3.5 as on 4.1.
        sc.sc().cancelJobsWithTag(statement.jobTag());
        try {
            progress.schedule(() -> cancelJobs(statement), CANCEL_AGAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the driver is stopping: Spark goes, and its jobs with it
        }
    }

    private void run(RunningStatement statement) {
        int id = statement.statementId();
        // Named running before the check, as cancel() marks before it looks: a cancel that comes now is either seen
        // here or sees the statement running and cancels its jobs. The other order let a cancel that came between
        // the two fall through, and the statement ran to its end.
        running = statement;
        if (statement.cancelled()) {
            running = null;
            unfinished.remove(id);
            events.accept(Finished.cancelled(id));
            return;
        }
        events.accept(new StatementEvent.Started(id, System.currentTimeMillis()));
        sc.setJobGroup(statement.jobGroup(), "Sparkgate statement " + id, true);
        sc.sc().addJobTag(statement.jobTag());
        router.capture(statement.output());
        ProgressReporter reporter = ProgressReporter.start(progress, sc, id, statement.jobGroup(), events);
        Finished finished;
        interpreters.cellStarting(statement.command().kind());
        try {
            Interpreter interpreter = interpreters.forKind(statement.command().kind());
            // A cancel since the check above found no cell in the interpreter to interrupt: honour it here.
            finished = statement.cancelled() ? Finished.cancelled(id)
                    : finish(statement, interpreter.execute(statement.command().code(), statement));
        } catch (Throwable t) {
            // ThreadDeath included: an interpreter that had to be stopped hard still ends its statement here.
            finished = statement.cancelled()
                    ? Finished.cancelled(id, Errors.describe(t)) : Finished.failed(id, Errors.describe(t));
        } finally {
            reporter.stop();
            sc.clearJobGroup();
            sc.sc().removeJobTag(statement.jobTag());
            router.release(statement.output());
            running = null;
            unfinished.remove(id);
            interpreters.cellEnded();
        }
        events.accept(finished);
    }

    private static Finished finish(RunningStatement statement, ExecutionResult result) {
        int id = statement.statementId();
        if (statement.cancelled()) {
            // Livy's outcome is "cancelled"; the notebook still shows how the interpreter stopped, as IPython does.
            return result instanceof ExecutionResult.Failure failure
                    ? Finished.cancelled(id, failure.error()) : Finished.cancelled(id);
        }
        if (result instanceof ExecutionResult.Failure failure) {
            return Finished.failed(id, failure.error());
        }
        return Finished.ok(id, BoundedBundle.of(((ExecutionResult.Value) result).data()));
    }

    @Override
    public void close() {
        runner.shutdownNow();
        progress.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Turns a Throwable into what a notebook shows; used where an interpreter itself failed. */
    static final class Errors {
        private Errors() {
        }

        static ErrorInfo describe(Throwable t) {
            return new ErrorInfo(t.getClass().getName(), String.valueOf(t.getMessage()),
                    java.util.Arrays.stream(t.getStackTrace()).limit(30).map(f -> "at " + f).toList());
        }
    }
}
