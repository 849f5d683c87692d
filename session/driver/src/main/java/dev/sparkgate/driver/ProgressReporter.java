package dev.sparkgate.driver;

import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.JobProgress;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the progress of one statement's Spark jobs from the status tracker and reports it when it changes.
 * Polling the tracker (rather than a listener) keeps it independent of which thread or language started the jobs:
 * all it needs is the statement's job group, and its job tag of the same name (which still marks the jobs of a cell
 * that set a job group of its own).
 */
final class ProgressReporter {

    private final JavaSparkContext sc;
    private final int statementId;
    private final String jobGroup;
    private final Consumer<StatementEvent> events;
    private List<JobProgress> last = List.of();

    ProgressReporter(JavaSparkContext sc, int statementId, String jobGroup, Consumer<StatementEvent> events) {
        this.sc = sc;
        this.statementId = statementId;
        this.jobGroup = jobGroup;
        this.events = events;
    }

    /** Reports the jobs' state if it changed since the last report. */
    synchronized void report() {
        List<JobProgress> jobs;
        try {
            jobs = snapshot();
        } catch (RuntimeException e) {
            // A failed poll must not end the polling: the scheduler would silently drop every later one.
            System.err.println("sparkgate-driver: could not read job progress: " + e);
            return;
        }
        if (jobs.isEmpty() || jobs.equals(last)) {
            return;
        }
        last = jobs;
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
            int tasks = 0, completed = 0, active = 0, failed = 0, stagesDone = 0;
            for (int stageId : job.stageIds()) {
                SparkStageInfo stage = tracker.getStageInfo(stageId);
                if (stage == null) {
                    continue;
                }
                tasks += stage.numTasks();
                completed += stage.numCompletedTasks();
                active += stage.numActiveTasks();
                failed += stage.numFailedTasks();
                if (stage.numTasks() > 0 && stage.numCompletedTasks() == stage.numTasks()) {
                    stagesDone++;
                }
            }
            jobs.add(new JobProgress(id, job.status().name(), tasks, completed, active, failed,
                    job.stageIds().length, stagesDone));
        }
        return jobs;
    }
}
