package dev.sparkgate.driver;

import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.JobProgress;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the progress of one statement's Spark jobs from the status tracker while the statement runs, and reports it
 * so that clients see an update at least every 250 ms while any of its jobs runs: a change at the next poll, and an
 * unchanged state again once the last report is {@value #RESEND_MILLIS} ms old (a task that runs for minutes still
 * shows a live bar). While none of its jobs runs (a cell doing plain Python between jobs, or before its first) it
 * reports only changes, so such a cell gets no stream of repeated progress.
 *
 * <p>Polling the tracker (rather than a listener) keeps it independent of which thread or language started the jobs:
 * all it needs is the statement's job group, and its job tag of the same name (which still marks the jobs of a cell
 * that set a job group of its own).
 */
final class ProgressReporter {

    /** How often the tracker is read: the delay of a change, and the step of the repeats below. */
    static final long POLL_MILLIS = 100;
    /**
     * An unchanged state of a running job is reported again at the first poll once the last report is this old:
     * nominally every second poll (200 ms), so a poll up to 50 ms late (a loaded machine, a GC pause) still keeps
     * the gap within 250 ms, while a poll a little early does not make it wait for a third one (300 ms).
     */
    static final long RESEND_MILLIS = 150;
    /** How long the last report waits for the tracker to see the statement's jobs end. */
    static final long CATCH_UP_MILLIS = 500;

    private final JavaSparkContext sc;
    private final int statementId;
    private final String jobGroup;
    private final Consumer<StatementEvent> events;
    private List<JobProgress> last = List.of();
    private long lastReportNanos;
    private boolean stopped;
    private ScheduledFuture<?> polling;

    private ProgressReporter(JavaSparkContext sc, int statementId, String jobGroup, Consumer<StatementEvent> events) {
        this.sc = sc;
        this.statementId = statementId;
        this.jobGroup = jobGroup;
        this.events = events;
    }

    /** Polls the jobs of {@code jobGroup} every {@value #POLL_MILLIS} ms on {@code scheduler} until {@link #stop}. */
    static ProgressReporter start(ScheduledExecutorService scheduler, JavaSparkContext sc, int statementId,
                                  String jobGroup, Consumer<StatementEvent> events) {
        ProgressReporter reporter = new ProgressReporter(sc, statementId, jobGroup, events);
        // at a fixed rate, not delay: a poll's own time must not stretch the gaps clients see
        reporter.polling = scheduler.scheduleAtFixedRate(
                reporter::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return reporter;
    }

    /**
     * The statement ended: reports the jobs' last state if it changed, and nothing after it, not even from a poll
     * already under way (it would come after the statement's {@code finished}).
     */
    synchronized void stop() {
        polling.cancel(false);
        awaitTrackerCaughtUp();
        report(false);
        stopped = true;
    }

    /**
     * The statement's jobs have ended by now, but Spark's status tracker learns of their last tasks from its listener
     * bus, which may lag on a loaded machine: a last report read then leaves the bar short (19/20 tasks) with nothing
     * after it. Waits while the tracker still shows one of them running, at most {@value #CATCH_UP_MILLIS} ms (a job
     * the cell left running in the background, or one being cancelled, really is still running).
     */
    private void awaitTrackerCaughtUp() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MILLIS);
        try {
            while (System.nanoTime() < deadline && snapshot().stream()
                    .anyMatch(job -> JobExecutionStatus.RUNNING.name().equals(job.status()))) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the report below says it, if the tracker cannot be read
        }
    }

    private synchronized void poll() {
        if (!stopped) {
            report(true);
        }
    }

    private void report(boolean repeatWhileRunning) {
        List<JobProgress> jobs;
        try {
            jobs = snapshot();
        } catch (RuntimeException e) {
            // A failed poll must not end the polling: the scheduler would silently drop every later one.
            System.err.println("sparkgate-driver: could not read job progress: " + e);
            return;
        }
        if (jobs.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        boolean changed = !jobs.equals(last);
        boolean due = repeatWhileRunning && now - lastReportNanos >= TimeUnit.MILLISECONDS.toNanos(RESEND_MILLIS)
                && jobs.stream().anyMatch(job -> JobExecutionStatus.RUNNING.name().equals(job.status()));
        if (!changed && !due) {
            return;
        }
        last = jobs;
        lastReportNanos = now;
        long total = jobs.stream().mapToLong(JobProgress::numTasks).sum();
        long done = jobs.stream().mapToLong(JobProgress::completedTasks).sum();
        double fraction = total == 0 ? 0.0 : Math.min(1.0, (double) done / total);
        events.accept(new StatementEvent.Progress(statementId, fraction, jobs));
    }

    private List<JobProgress> snapshot() {
        var tracker = sc.statusTracker();
        int[] ids = java.util.stream.IntStream.concat(Arrays.stream(tracker.getJobIdsForGroup(jobGroup)),
                Arrays.stream(sc.sc().statusTracker().getJobIdsForTag(jobGroup))).distinct().sorted().toArray();
        List<JobProgress> jobs = new ArrayList<>(ids.length);
        for (int id : ids) {
            SparkJobInfo job = tracker.getJobInfo(id);
            if (job == null) {
                continue;
            }
            boolean ended = job.status() != JobExecutionStatus.RUNNING;
            int tasks = 0, completed = 0, active = 0, failed = 0, stages = 0, stagesDone = 0;
            for (int stageId : job.stageIds()) {
                SparkStageInfo stage = tracker.getStageInfo(stageId);
                // A stage an ended job never submitted was skipped (its output was there already, as for the shuffle
                // an adaptive query ran in a job before): as in Spark's UI, it is not part of the job's work.
                if (stage == null || ended && stage.submissionTime() <= 0) {
                    continue;
                }
                stages++;
                tasks += stage.numTasks();
                completed += stage.numCompletedTasks();
                active += stage.numActiveTasks();
                failed += stage.numFailedTasks();
                if (stage.numTasks() > 0 && stage.numCompletedTasks() == stage.numTasks()) {
                    stagesDone++;
                }
            }
            jobs.add(new JobProgress(id, job.status().name(), tasks, completed, active, failed,
                    ended ? stages : job.stageIds().length, stagesDone));
        }
        return jobs;
    }
}
