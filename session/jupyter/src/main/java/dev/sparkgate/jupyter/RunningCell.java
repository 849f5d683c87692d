package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.StatementEvent;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * The cell a kernel executes now, as an interrupt sees it. An interrupt can come before the session is ready, before
 * the statement has its id, or while it runs; each is honoured: a statement whose id arrives after the interrupt is
 * cancelled as soon as the id is known.
 */
final class RunningCell {

    /** Completes when the cell is interrupted. */
    final CompletableFuture<Void> interrupted = new CompletableFuture<>();
    /** Completes with the statement's last event. */
    final CompletableFuture<StatementEvent.Finished> finished = new CompletableFuture<>();
    private final IntConsumer cancel;
    private Integer statementId;

    RunningCell(IntConsumer cancel) {
        this.cancel = cancel;
    }

    synchronized void submitted(int id) {
        statementId = id;
        if (interrupted.isDone()) {
            cancel.accept(id);
        }
    }

    synchronized void interrupt() {
        interrupted.complete(null);
        if (statementId != null && !finished.isDone()) {
            cancel.accept(statementId);
        }
    }
}
