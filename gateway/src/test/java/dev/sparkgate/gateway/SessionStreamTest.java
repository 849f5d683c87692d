package dev.sparkgate.gateway;

import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.gateway.testing.StalledWebSocketClient;
import dev.sparkgate.gateway.testing.StreamClient;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The native stream: statements submitted over WebSocket, every event delivered while it happens. */
class SessionStreamTest {

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.shared)
            .with("SPARKGATE_STREAM_CLIENT_BACKLOG_MIB", "4");
    private static LivyClient livy;
    private static int session;

    @BeforeAll
    static void clients() {
        livy = gateway.livy();
        session = gateway.session();
    }

    @Test
    void printedLinesArriveWhileTheCellIsStillRunning() {
        try (StreamClient stream = gateway.stream()) {
            int id = stream.execute("spark", "for (i <- 1 to 5) { println(s\"tick $i\"); Thread.sleep(300) }");

            StreamClient.Arrival finished = stream.awaitFinished(id, Duration.ofSeconds(60));
            StreamClient.Arrival firstTick = stream.await(u -> u instanceof StreamUpdate.Event e
                    && e.event() instanceof StatementEvent.Stream s && s.text().contains("tick 1"), Duration.ZERO);

            assertThat(Duration.ofNanos(finished.nanos() - firstTick.nanos())).isGreaterThan(Duration.ofMillis(900));
            String stdout = stream.events(id).stream().filter(e -> e instanceof StatementEvent.Stream)
                    .map(e -> ((StatementEvent.Stream) e).text()).reduce("", String::concat);
            assertThat(stdout).isEqualTo("tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n");
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffWhileTheOthersReceiveEverything() throws Exception {
        // a session of its own, so the other tests' late joiners do not replay its 12 MB
        int loud = livy.createIdleSession(java.util.Map.of("kind", "spark"));
        try (StalledWebSocketClient stalled = StalledWebSocketClient.connect(gateway.baseUri(), loud, null);
             StreamClient reading = gateway.stream(loud)) {
            // 24 MB of output: past what the stalled client's socket buffers take plus the 4 MiB this gateway lets a
            // client leave unread, and well within what a reading client keeps up with; in three statements, each
            // within the 8 MiB a statement may print
            java.util.List<Integer> ids = new java.util.ArrayList<>();
            for (int statement = 0; statement < 3; statement++) {
                ids.add(reading.execute("spark", "for (i <- 1 to 8) { print(\"x\" * 1000000) }"));
            }

            ids.forEach(id -> reading.awaitFinished(id, Duration.ofSeconds(120)));
            StalledWebSocketClient.Ending ending = stalled.drain(10_000);

            long received = ids.stream().flatMap(id -> reading.events(id).stream())
                    .filter(e -> e instanceof StatementEvent.Stream)
                    .mapToLong(e -> ((StatementEvent.Stream) e).text().length()).sum();
            assertThat(reading.closeCode()).as("the reading client was not cut off").isEqualTo(-1);
            assertThat(received).isEqualTo(24_000_000);
            assertThat(ending.code()).as("the stalled client's close frame").isEqualTo(1008);
            assertThat(ending.reason()).contains("too slow").contains("?since=");
            assertThat(ending.payloadBytesRead()).isLessThan(24_000_000);
        } finally {
            livy.delete("/sessions/" + loud);
        }
    }

    @Test
    void aStatementsEventsComeInTheirLifeOrder() {
        try (StreamClient stream = gateway.stream()) {
            int id = stream.execute("sql", "SELECT 1 AS one");
            stream.awaitFinished(id, Duration.ofSeconds(60));

            List<StatementEvent> events = stream.events(id);

            assertThat(events.get(0)).isInstanceOf(StatementEvent.Accepted.class);
            assertThat(events.get(1)).isInstanceOf(StatementEvent.Started.class);
            assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(StatementEvent.Finished.class,
                    f -> assertThat(f.result()).containsKeys("text/plain", "application/json",
                            "application/vnd.livy.table.v1+json"));
        }
    }

    @Test
    void jobProgressIsPushedWhileTheJobRuns() {
        try (StreamClient stream = gateway.stream()) {
            int id = stream.execute("spark", "sc.parallelize(1 to 40, 20).map { x => Thread.sleep(150); x }.count()");
            stream.awaitFinished(id, Duration.ofSeconds(60));

            List<StatementEvent.Progress> progress = stream.events(id).stream()
                    .filter(e -> e instanceof StatementEvent.Progress).map(e -> (StatementEvent.Progress) e).toList();

            assertThat(progress).anyMatch(p -> p.fraction() > 0 && p.fraction() < 1);
            assertThat(progress.get(progress.size() - 1).jobs()).singleElement()
                    .satisfies(job -> assertThat(job.numTasks()).isEqualTo(20));
        }
    }

    @Test
    void everyWatcherSeesTheSameEventsAndALateOneCatchesUp() {
        try (StreamClient first = gateway.stream(); StreamClient second = gateway.stream()) {
            int id = first.execute("spark", "println(\"shared news\")");
            first.awaitFinished(id, Duration.ofSeconds(60));
            second.awaitFinished(id, Duration.ofSeconds(10));

            try (StreamClient late = gateway.stream()) {
                late.awaitFinished(id, Duration.ofSeconds(10));
                assertThat(late.events(id)).isEqualTo(first.events(id));
            }
            assertThat(second.events(id)).isEqualTo(first.events(id));
        }
    }

    @Test
    void aClientResumesAfterTheLastEventItSaw() {
        long lastSeen;
        int id;
        try (StreamClient stream = gateway.stream()) {
            id = stream.execute("spark", "\"before the drop\"");
            stream.awaitFinished(id, Duration.ofSeconds(60));
            lastSeen = stream.updates().stream().filter(u -> u instanceof StreamUpdate.Event)
                    .mapToLong(u -> ((StreamUpdate.Event) u).seq()).max().orElseThrow();
        }
        int later = livy.run(session, "spark", "\"while away\"").path("id").asInt();

        try (StreamClient resumed = StreamClient.connect(gateway.baseUri(), session, null, lastSeen)) {
            resumed.awaitFinished(later, Duration.ofSeconds(10));

            assertThat(resumed.events(id)).isEmpty();
            assertThat(resumed.events(later)).first().isInstanceOf(StatementEvent.Accepted.class);
        }
    }

    @Test
    void badRequestsAreRefusedWithAReasonAndTheStreamStaysOpen() {
        try (StreamClient stream = gateway.stream()) {
            stream.send("{not json");
            int unknownKind = stream.nextRequestId();
            stream.request(new StreamRequest.Execute(unknownKind, "1", "cobol"));

            StreamUpdate garbage = stream.await(u -> u instanceof StreamUpdate.Refused r && r.requestId() == -1,
                    Duration.ofSeconds(5)).update();
            StreamUpdate kind = stream.await(u -> u instanceof StreamUpdate.Refused r && r.requestId() == unknownKind,
                    Duration.ofSeconds(5)).update();

            assertThat(((StreamUpdate.Refused) garbage).message()).contains("execute, cancel, complete");
            assertThat(((StreamUpdate.Refused) kind).message()).contains("Unknown statement kind 'cobol'");
            int id = stream.execute("spark", "\"still here\"");
            assertThat(stream.awaitFinished(id, Duration.ofSeconds(60)).update()).isNotNull();
        }
    }

    @Test
    void cancelAndCompletionWorkOverTheStream() {
        try (StreamClient stream = gateway.stream()) {
            int id = stream.execute("spark", "Thread.sleep(60000)");
            stream.await(u -> u instanceof StreamUpdate.Event e && e.event() instanceof StatementEvent.Started
                    && e.event().statementId() == id, Duration.ofSeconds(30));
            stream.request(new StreamRequest.Cancel(stream.nextRequestId(), id));

            StreamUpdate finished = stream.awaitFinished(id, Duration.ofSeconds(30)).update();
            int completion = stream.nextRequestId();
            stream.request(new StreamRequest.Ask(completion, new InterpreterQuestion.Complete("spark.rang", 10), "spark"));
            StreamUpdate candidates = stream.await(u -> u instanceof StreamUpdate.Answer a
                    && a.requestId() == completion, Duration.ofSeconds(15)).update();

            assertThat(((StatementEvent.Finished) ((StreamUpdate.Event) finished).event()).outcome())
                    .isEqualTo(StatementEvent.Outcome.cancelled);
            assertThat(((StreamUpdate.Answer) candidates).answer()).isInstanceOfSatisfying(
                    InterpreterAnswer.Completions.class, c -> assertThat(c.candidates()).contains("range"));
        }
    }
}
