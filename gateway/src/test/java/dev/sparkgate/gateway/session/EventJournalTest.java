package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamUpdate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A session's statements and events: numbered once, replayed from any point, bounded without losing running work. */
class EventJournalTest {

    @Test
    void statementsGetIdsInOrderAndEventsSeqNumbersAcrossStatements() {
        EventJournal journal = new EventJournal(10);
        Statement first = journal.open(Kind.spark, "1");
        Statement second = journal.open(Kind.sql, "SELECT 1");

        List<Long> seqs = List.of(
                journal.record(accepted(first)).orElseThrow().seq(),
                journal.record(accepted(second)).orElseThrow().seq(),
                journal.record(new StatementEvent.Started(first.id(), 1)).orElseThrow().seq());

        assertThat(first.id()).isZero();
        assertThat(second.id()).isEqualTo(1);
        assertThat(seqs).containsExactly(1L, 2L, 3L);
        assertThat(journal.lastSeq()).isEqualTo(3);
        assertThat(first.events()).hasSize(2);
    }

    @Test
    void aClientResumingAfterASeqGetsExactlyTheEventsAfterIt() {
        EventJournal journal = new EventJournal(10);
        Statement statement = journal.open(Kind.spark, "1");
        journal.record(accepted(statement));
        journal.record(new StatementEvent.Started(statement.id(), 1));
        journal.record(new StatementEvent.Stream(statement.id(), StatementEvent.StreamName.stdout, "tick\n"));

        assertThat(journal.since(1)).extracting(StreamUpdate.Event::seq).containsExactly(2L, 3L);
        assertThat(journal.since(0)).hasSize(3);
        assertThat(journal.since(3)).isEmpty();
    }

    @Test
    void aStatementKeepsOnlyItsLatestProgressAndAClientResumingGetsThat() {
        // given a statement whose job reported progress a thousand times, with output between
        EventJournal journal = new EventJournal(10);
        Statement statement = journal.open(Kind.sql, "SELECT slow()");
        journal.record(accepted(statement));
        journal.record(new StatementEvent.Started(statement.id(), 1));
        for (int i = 1; i <= 1000; i++) {
            journal.record(new StatementEvent.Progress(statement.id(), i / 2000.0, List.of()));
        }
        journal.record(new StatementEvent.Stream(statement.id(), StatementEvent.StreamName.stdout, "half way\n"));
        journal.record(new StatementEvent.Progress(statement.id(), 0.75, List.of()));

        // then one progress is kept, the latest, in its place after the output, with its own number
        assertThat(statement.events()).filteredOn(StatementEvent.Progress.class::isInstance).hasSize(1);
        assertThat(statement.progress()).isEqualTo(0.75);
        assertThat(journal.since(0)).extracting(update -> update.event().getClass().getSimpleName())
                .containsExactly("Accepted", "Started", "Stream", "Progress");
        assertThat(journal.since(0)).extracting(StreamUpdate.Event::seq).containsExactly(1L, 2L, 1003L, 1004L);
        assertThat(journal.lastSeq()).isEqualTo(1004);
    }

    @Test
    void eventsOfAStatementNotInTheJournalAreNotRecorded() {
        EventJournal journal = new EventJournal(10);

        assertThat(journal.record(new StatementEvent.Started(7, 1))).isEmpty();

        assertThat(journal.lastSeq()).isZero();
    }

    @Test
    void beyondItsBoundTheOldestFinishedStatementsGoWithTheirEventsAndRunningOnesStay() {
        EventJournal journal = new EventJournal(2);
        Statement running = journal.open(Kind.spark, "running");
        journal.record(accepted(running));
        Statement done = journal.open(Kind.spark, "done");
        journal.record(accepted(done));
        journal.record(finished(done));

        Statement third = journal.open(Kind.spark, "third");

        assertThat(journal.statements()).extracting(Statement::id).containsExactly(running.id(), third.id());
        assertThat(journal.statement(done.id())).isEmpty();
        assertThat(journal.since(0)).extracting(e -> e.event().statementId()).containsOnly(running.id());
        assertThat(journal.unfinished()).extracting(Statement::id).containsExactly(running.id(), third.id());
    }

    @Test
    void theJournalIsWorkingWhileAnyStatementIsUnfinished() {
        EventJournal journal = new EventJournal(10);
        assertThat(journal.working()).isFalse();
        Statement statement = journal.open(Kind.spark, "1");
        assertThat(journal.working()).isTrue();

        journal.record(finished(statement));

        assertThat(journal.working()).isFalse();
        assertThat(statement.state()).isEqualTo(StatementState.available);
    }

    @Test
    void eventsNumberedByTheDriverKeepTheirNumbersAndADuplicateIsNotRecordedTwice() {
        EventJournal journal = new EventJournal(10);
        Statement statement = journal.open(Kind.spark, "1");

        journal.record(1, accepted(statement));
        journal.record(2, new StatementEvent.Started(statement.id(), 1));

        assertThat(journal.record(2, new StatementEvent.Started(statement.id(), 1))).isEmpty();
        assertThat(journal.record(5, finished(statement))).get().extracting(StreamUpdate.Event::seq).isEqualTo(5L);
        assertThat(journal.lastSeq()).isEqualTo(5);
        assertThat(statement.events()).hasSize(3);
    }

    @Test
    void aJournalRebuiltFromTheDriversEventsHasTheLostStatementsAndContinuesTheirIds() {
        EventJournal lost = new EventJournal(10);
        Statement first = lost.open(Kind.spark, "val x = 1");
        Statement second = lost.open(Kind.pyspark, "print(1)");
        EventJournal rebuilt = new EventJournal(10);

        rebuilt.record(1, accepted(first));
        rebuilt.record(2, finished(first));
        rebuilt.record(3, accepted(second));

        assertThat(rebuilt.statements()).extracting(Statement::id, Statement::kind, Statement::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, Kind.spark, "val x = 1"),
                        org.assertj.core.groups.Tuple.tuple(1, Kind.pyspark, "print(1)"));
        assertThat(rebuilt.working()).isTrue();
        assertThat(rebuilt.since(1)).extracting(StreamUpdate.Event::seq).containsExactly(2L, 3L);
        assertThat(rebuilt.open(Kind.spark, "x").id()).isEqualTo(2);
        assertThat(rebuilt.record(finished(second))).get().extracting(StreamUpdate.Event::seq)
                .as("what the gateway says itself follows the driver's numbers").isEqualTo(4L);
    }

    private static StatementEvent accepted(Statement statement) {
        return new StatementEvent.Accepted(statement.id(), statement.kind().name(), statement.code(), 0);
    }

    private static StatementEvent finished(Statement statement) {
        return StatementEvent.Finished.ok(statement.id(), Map.of("text/plain", "done"));
    }
}
