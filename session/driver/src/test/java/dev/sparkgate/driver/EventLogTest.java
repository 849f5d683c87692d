package dev.sparkgate.driver;

import dev.sparkgate.protocol.DriverMessage;
import dev.sparkgate.protocol.StatementEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The driver keeps its session's events, numbered, for a gateway that comes back; bounded, oldest finished first. */
class EventLogTest {

    @Test
    void eventsWaitForAGatewayThatResumesAndThenFlowLiveWithTheirNumbers() {
        EventLog log = new EventLog(100);
        log.append(accepted(0));
        log.append(new StatementEvent.Started(0, 1));
        List<DriverMessage> sent = new ArrayList<>();

        log.resume(1, sent::add);
        log.append(stdout(0, "tick\n"));

        assertThat(sent).extracting(m -> ((DriverMessage.Event) m).seq()).containsExactly(2L, 3L);
    }

    @Test
    void aLostLinkGetsNothingAndTheNextResumeGetsWhatItMissed() {
        EventLog log = new EventLog(100);
        List<DriverMessage> first = new ArrayList<>();
        List<DriverMessage> second = new ArrayList<>();
        log.resume(0, first::add);
        log.append(accepted(0));

        log.detach();
        log.append(stdout(0, "while no gateway listened\n"));
        log.append(StatementEvent.Finished.ok(0, Map.of()));
        log.resume(1, second::add);

        assertThat(first).hasSize(1);
        assertThat(second).extracting(m -> ((DriverMessage.Event) m).seq()).containsExactly(2L, 3L);
        assertThat(second).extracting(m -> ((DriverMessage.Event) m).event().getClass().getSimpleName())
                .containsExactly("Stream", "Finished");
    }

    @Test
    void atItsBoundTheOldestFinishedStatementGoesWholeAndNumbersGoOn() {
        EventLog log = new EventLog(5);
        log.append(accepted(0));
        log.append(StatementEvent.Finished.ok(0, Map.of()));
        log.append(accepted(1));
        log.append(new StatementEvent.Started(1, 1));
        log.append(stdout(1, "a\n"));

        log.append(stdout(1, "b\n"));

        List<DriverMessage> sent = new ArrayList<>();
        log.resume(0, sent::add);
        assertThat(sent).extracting(m -> ((DriverMessage.Event) m).seq()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(log.lastSeq()).isEqualTo(6);
    }

    @Test
    void aRunningStatementThatAloneOutgrowsTheBoundLosesItsOldestOutputNotItsLife() {
        EventLog log = new EventLog(4);
        log.append(accepted(0));
        log.append(new StatementEvent.Started(0, 1));
        log.append(stdout(0, "1\n"));
        log.append(stdout(0, "2\n"));

        log.append(stdout(0, "3\n"));
        log.append(StatementEvent.Finished.ok(0, Map.of()));

        List<DriverMessage> sent = new ArrayList<>();
        log.resume(0, sent::add);
        assertThat(sent).extracting(m -> ((DriverMessage.Event) m).event())
                .hasAtLeastOneElementOfType(StatementEvent.Accepted.class)
                .hasAtLeastOneElementOfType(StatementEvent.Started.class)
                .hasAtLeastOneElementOfType(StatementEvent.Finished.class)
                .doesNotContain(stdout(0, "1\n"));
        assertThat(log.size()).isLessThanOrEqualTo(4);
    }

    @Test
    void aLongJobsRepeatedProgressGoesBeforeAnyOutputAndItsLatestStays() {
        // given a finished statement's output and a running one that reports its job's progress over and over
        EventLog log = new EventLog(6);
        log.append(accepted(0));
        StatementEvent finished = StatementEvent.Finished.ok(0, Map.of());
        log.append(stdout(0, "the answer\n"));
        log.append(finished);
        log.append(accepted(1));
        log.append(new StatementEvent.Started(1, 1));

        // when its reports alone outgrow the bound, many times over
        for (int report = 1; report <= 20; report++) {
            log.append(progress(1, report / 20.0));
        }

        // then only its superseded reports went: every output stays, and the latest state of its job
        List<DriverMessage> sent = new ArrayList<>();
        log.resume(0, sent::add);
        assertThat(sent).extracting(m -> ((DriverMessage.Event) m).event())
                .contains(stdout(0, "the answer\n"), finished)
                .filteredOn(e -> e instanceof StatementEvent.Progress)
                .containsExactly(progress(1, 1.0));
        assertThat(log.size()).isEqualTo(6);
    }

    @Test
    void aRunningStatementLosesItsSupersededProgressBeforeItsOutput() {
        // given a running statement with output and a progress report, at the bound
        EventLog log = new EventLog(4);
        log.append(accepted(0));
        log.append(new StatementEvent.Started(0, 1));
        log.append(stdout(0, "1\n"));
        log.append(progress(0, 0.25));

        // when later reports come, then output again
        log.append(progress(0, 0.5));
        log.append(progress(0, 0.75));
        log.append(stdout(0, "2\n"));

        // then the superseded reports went first; with none left, the oldest chunk (its output) goes as before
        List<DriverMessage> sent = new ArrayList<>();
        log.resume(0, sent::add);
        assertThat(sent).extracting(m -> ((DriverMessage.Event) m).event())
                .containsExactly(accepted(0), new StatementEvent.Started(0, 1), progress(0, 0.75), stdout(0, "2\n"));
    }

    private static StatementEvent progress(int id, double fraction) {
        return new StatementEvent.Progress(id, fraction, List.of(new StatementEvent.JobProgress(
                0, "RUNNING", 20, (int) (fraction * 20), 2, 0, 1, 0)));
    }

    private static StatementEvent accepted(int id) {
        return new StatementEvent.Accepted(id, "spark", "1", 0);
    }

    private static StatementEvent stdout(int id, String text) {
        return new StatementEvent.Stream(id, StatementEvent.StreamName.stdout, text);
    }
}
