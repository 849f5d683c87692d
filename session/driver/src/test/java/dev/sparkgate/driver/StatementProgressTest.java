package dev.sparkgate.driver;

import dev.sparkgate.driver.output.OutputRouter;
import dev.sparkgate.protocol.DriverCommand;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.StatementEvent;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement's progress as the driver reports it, against this JVM's own SparkSession (local[2]): while a job of the
 * statement runs, a report at least every 250 ms even when nothing changes; while none runs, no repeats. The counts
 * asked for are a fraction of what the period gives, so that a loaded machine's late polls still pass.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatementProgressTest {

    private static SparkSession spark;
    private static boolean sparkStartedHere;
    private static JavaSparkContext sc;
    private static Interpreters interpreters;
    private static StatementRunner runner;
    private static final List<StatementEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void sparkAndRunner() throws Exception {
        OutputRouter router = OutputRouter.install();
        sparkStartedHere = SparkSession.getDefaultSession().isEmpty();
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("sparkgate-progress-test")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SessionSpec spec = Json.read("{\"id\":-1,\"name\":\"progress-test\",\"kind\":\"sql\",\"sparkConf\":{},"
                + "\"sqlRowCap\":100}", SessionSpec.class);
        interpreters = new Interpreters(spec, spark, Files.createTempDirectory("sparkgate-progress-test-"), null);
        // the SQL warm-up's jobs are not a statement's, but done first they cannot share the machine with one
        interpreters.warm().get(2, TimeUnit.MINUTES);
        runner = new StatementRunner(sc, interpreters, router, events::add);
    }

    @AfterAll
    static void stopRunnerAndSpark() {
        if (runner != null) {
            runner.close();
        }
        if (interpreters != null) {
            interpreters.close();
        }
        if (spark != null && sparkStartedHere) {
            spark.stop();
        }
    }

    @Test
    @DisplayName("a job whose state does not change for 2 s still reports its progress, again and again")
    void anUnchangingJobStillReportsProgressPeriodically() throws Exception {
        // given a statement whose one job runs one task that sleeps 2 s: nothing about the job changes meanwhile
        String sleepingTask = "SELECT java_method('java.lang.Thread', 'sleep', 2000L) FROM range(0, 1, 1, 1)";

        // when it runs
        List<StatementEvent> statement = run(101, sleepingTask);

        // then its progress came while the task ran, unchanged: at 200 ms nominally about ten reports, 4 at least
        assertThat(outcome(statement)).isEqualTo(StatementEvent.Outcome.ok);
        List<StatementEvent.Progress> whileRunning = progress(statement).stream()
                .filter(p -> p.jobs().stream().anyMatch(job -> job.status().equals("RUNNING")))
                .filter(p -> p.jobs().stream().allMatch(job -> job.completedTasks() == 0))
                .toList();
        assertThat(whileRunning).as("reports while the task slept, of %s", statement).hasSizeGreaterThanOrEqualTo(4);
        // and every report is of that one job (its end may come after the statement's: Spark's status is async)
        assertThat(progress(statement)).allSatisfy(p -> assertThat(p.jobs()).singleElement()
                .satisfies(job -> assertThat(job.numTasks()).isEqualTo(1)));
    }

    @Test
    @DisplayName("a statement that starts no job gets no progress")
    void aStatementWithoutJobsGetsNoProgress() throws Exception {
        // given statements that only define views: no Spark job
        String noJobs = "CREATE OR REPLACE TEMPORARY VIEW progress_none AS SELECT 1 AS x;"
                + " CREATE OR REPLACE TEMPORARY VIEW progress_none_either AS SELECT x FROM progress_none";

        // when they run
        List<StatementEvent> statement = run(102, noJobs);

        // then the statement ends without a progress report
        assertThat(outcome(statement)).isEqualTo(StatementEvent.Outcome.ok);
        assertThat(progress(statement)).as("progress of %s", statement).isEmpty();
    }

    @Test
    @DisplayName("while no job of a running statement runs, its progress is not repeated")
    void progressIsNotRepeatedWhileNoJobRuns() throws Exception {
        // given a reporter polling a job group, as a statement's, whose code waits, runs one short job, then waits
        String group = "sparkgate-progress-test-between-jobs";
        List<StatementEvent> reported = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ProgressReporter reporter = ProgressReporter.start(scheduler, sc, 103, group, reported::add);
        try {
            Thread.sleep(1_000);
            sc.setJobGroup(group, "a statement's job", true);
            long count = sc.parallelize(List.of(1, 2), 1).map(x -> {
                Thread.sleep(600);
                return x;
            }).count();
            assertThat(count).isEqualTo(2);

            // when 1.5 s pass after its job ended, with the reporter still polling (a cell doing plain Python)
            Thread.sleep(1_500);
        } finally {
            sc.clearJobGroup();
            reporter.stop();
            scheduler.shutdownNow();
        }

        // then the job's end was reported once, and nothing was reported without a job
        List<StatementEvent.Progress> progress = progress(reported);
        assertThat(progress).as("reports").isNotEmpty().allSatisfy(p -> assertThat(p.jobs()).isNotEmpty());
        assertThat(progress).as("reports once the job ended, of %s", progress)
                .filteredOn(p -> p.jobs().stream().noneMatch(job -> job.status().equals("RUNNING")))
                .singleElement()
                .satisfies(done -> assertThat(done.fraction()).isEqualTo(1.0));
    }

    @Test
    @DisplayName("a statement's last progress shows its jobs ended, even while Spark's status tracker lags behind")
    void theLastProgressShowsTheJobsEndedWhenTheTrackerLags() throws Exception {
        // given Spark's status tracker 250 ms late with each stage's end, as on a loaded machine: a listener on the
        // tracker's own queue, after it, that takes its time there, so the job's end reaches the tracker that late
        SparkListener slowBesideTheTracker = new SparkListener() {
            @Override
            public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        sc.sc().listenerBus().addToStatusQueue(slowBesideTheTracker);
        String group = "sparkgate-progress-test-lagging-tracker";
        List<StatementEvent> reported = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ProgressReporter reporter = ProgressReporter.start(scheduler, sc, 104, group, reported::add);
        try {
            // when a statement's job returns, and the statement ends at once
            sc.setJobGroup(group, "a statement's job", true);
            assertThat(sc.parallelize(List.of(1, 2), 2).count()).isEqualTo(2);
        } finally {
            sc.clearJobGroup();
            reporter.stop();
            scheduler.shutdownNow();
            sc.sc().removeSparkListener(slowBesideTheTracker);
        }

        // then its last progress shows the job done, with both tasks: not the tracker's stale running state (250 ms is
        // well within what the last report waits for the tracker)
        List<StatementEvent.Progress> progress = progress(reported);
        assertThat(progress).as("reports").isNotEmpty();
        assertThat(progress.get(progress.size() - 1).jobs()).as("the last report's jobs").singleElement()
                .satisfies(job -> {
                    assertThat(job.status()).isEqualTo("SUCCEEDED");
                    assertThat(job.completedTasks()).isEqualTo(2).isEqualTo(job.numTasks());
                });
    }

    @Test
    @DisplayName("a stage a job skipped is not part of its progress: a finished statement's jobs are all done")
    void stagesAJobSkippedAreLeftOutOfItsProgress() throws Exception {
        // given an aggregate with a shuffle: adaptive execution runs the shuffle as a job of its own, and the result's
        // job then skips that stage, its output being there already
        String aggregate = "SELECT count(*) FROM range(0, 2, 1, 2)";

        // when it runs
        List<StatementEvent> statement = run(105, aggregate);

        // then its last progress shows every job with all the work it did done, not 1 of 3 tasks for the last one
        assertThat(outcome(statement)).isEqualTo(StatementEvent.Outcome.ok);
        StatementEvent.Progress last = progress(statement).get(progress(statement).size() - 1);
        assertThat(last.jobs()).as("jobs of %s", last).hasSizeGreaterThanOrEqualTo(2).allSatisfy(job -> {
            assertThat(job.completedTasks()).isEqualTo(job.numTasks());
            assertThat(job.completedStages()).isEqualTo(job.numStages());
        });
        assertThat(last.fraction()).isEqualTo(1.0);
    }

    /** Runs {@code code} as SQL statement {@code id} and returns its events once it finished (at most 2 minutes). */
    private static List<StatementEvent> run(int id, String code) throws InterruptedException {
        runner.submit(new DriverCommand.Execute(id, Kind.sql, code));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (ofStatement(id).stream().noneMatch(e -> e instanceof StatementEvent.Finished)) {
            assertThat(System.nanoTime()).as("statement %d finished within 2 minutes; its events: %s",
                    id, ofStatement(id)).isLessThan(deadline);
            Thread.sleep(20);
        }
        return ofStatement(id);
    }

    private static List<StatementEvent> ofStatement(int id) {
        return events.stream().filter(e -> e.statementId() == id).toList();
    }

    private static StatementEvent.Outcome outcome(List<StatementEvent> statement) {
        return statement.stream().filter(e -> e instanceof StatementEvent.Finished)
                .map(e -> ((StatementEvent.Finished) e).outcome()).findFirst().orElseThrow();
    }

    private static List<StatementEvent.Progress> progress(List<StatementEvent> statement) {
        return statement.stream().filter(e -> e instanceof StatementEvent.Progress)
                .map(e -> (StatementEvent.Progress) e).toList();
    }
}
