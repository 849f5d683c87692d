package dev.sparkgate.client;

import dev.sparkgate.protocol.StatementEvent;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One statement's events for a thread that follows it to its end (a Zeppelin paragraph, a benchmark): pass it to
 * {@link SessionStream#execute} and take the events one by one. The stream pushes them in as they arrive and always
 * ends with a {@code finished} event, also when the connection is lost for good or the session ends.
 */
public final class StatementEvents implements Consumer<StatementEvent> {

    private final BlockingQueue<StatementEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void accept(StatementEvent event) {
        events.add(event);
    }

    /** The next event, as soon as it is there; after the {@code finished} event there is none. */
    public StatementEvent next() throws InterruptedException {
        return events.take();
    }

    /** The next event, as soon as it is there; fails when none comes within {@code timeout}. */
    public StatementEvent next(Duration timeout) throws InterruptedException, TimeoutException {
        StatementEvent event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (event == null) {
            throw new TimeoutException("No event of the statement within " + timeout.toSeconds() + " s.");
        }
        return event;
    }

    /** Takes events up to and including the {@code finished} one, and returns that. */
    public StatementEvent.Finished finished() throws InterruptedException {
        while (true) {
            if (next() instanceof StatementEvent.Finished finished) {
                return finished;
            }
        }
    }

    /** Takes events up to and including the {@code finished} one, and returns that; fails when it is not there in time. */
    public StatementEvent.Finished finished(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StatementEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new TimeoutException("The statement did not finish within " + timeout.toSeconds() + " s.");
            }
            if (event instanceof StatementEvent.Finished finished) {
                return finished;
            }
        }
    }
}
