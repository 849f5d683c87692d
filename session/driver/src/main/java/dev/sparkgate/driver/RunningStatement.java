package dev.sparkgate.driver;

import dev.sparkgate.driver.interpreter.StatementContext;
import dev.sparkgate.driver.output.BoundedBundle;
import dev.sparkgate.driver.output.StatementOutput;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.StatementEvent;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.Consumer;

/** One statement from the moment it is queued on the driver until it has finished. */
final class RunningStatement implements StatementContext {

    private final DriverCommand.Execute command;
    private final Consumer<StatementEvent> events;
    private final StatementOutput output;
    private volatile boolean cancelled;

    RunningStatement(DriverCommand.Execute command, Consumer<StatementEvent> events) {
        this.command = command;
        this.events = events;
        this.output = new StatementOutput(command.statementId(), events);
    }

    DriverCommand.Execute command() {
        return command;
    }

    StatementOutput output() {
        return output;
    }

    void markCancelled() {
        cancelled = true;
    }

    @Override
    public int statementId() {
        return command.statementId();
    }

    /** The Spark job tag of the statement's jobs (JVM cells): cancel reaches them through it too. */
    public String jobTag() {
        return jobGroup();
    }

    @Override
    public String jobGroup() {
        return "sparkgate-statement-" + command.statementId();
    }

    @Override
    public PrintStream out() {
        return output.out();
    }

    @Override
    public PrintStream err() {
        return output.err();
    }

    @Override
    public void display(Map<String, Object> data, String displayId) {
        // Text printed before the display must reach the client before it.
        output.flush();
        events.accept(new StatementEvent.Display(statementId(), BoundedBundle.of(data), displayId));
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }
}
