package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.JobProgress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A statement's Spark jobs as a progress bar: an HTML {@code <progress>} for notebooks and a text bar for consoles.
 * A cell shows one bar, displayed at its first progress event and updated in place after that.
 */
public final class ProgressBar {

    private static final int TEXT_WIDTH = 30;

    private ProgressBar() {
    }

    /** The bar while the jobs run. */
    public static Map<String, Object> running(StatementEvent.Progress progress) {
        return running(progress, java.util.Optional.empty());
    }

    /** The bar while the jobs run, linking to the session's Spark UI when {@code sparkUi} says where it is. */
    public static Map<String, Object> running(StatementEvent.Progress progress, java.util.Optional<String> sparkUi) {
        return render(progress.jobs(), progress.fraction(), null, sparkUi);
    }

    /** The bar's last state, once the statement ended with {@code outcome}. */
    public static Map<String, Object> ended(StatementEvent.Progress last, StatementEvent.Outcome outcome) {
        return ended(last, outcome, java.util.Optional.empty());
    }

    public static Map<String, Object> ended(StatementEvent.Progress last, StatementEvent.Outcome outcome,
                                            java.util.Optional<String> sparkUi) {
        double fraction = outcome == StatementEvent.Outcome.ok ? 1.0 : last.fraction();
        return render(last.jobs(), fraction, outcome, sparkUi);
    }

    private static Map<String, Object> render(List<JobProgress> jobs, double fraction, StatementEvent.Outcome outcome,
                                              java.util.Optional<String> sparkUi) {
        int tasks = jobs.stream().mapToInt(JobProgress::numTasks).sum();
        int done = outcome == StatementEvent.Outcome.ok ? tasks : jobs.stream().mapToInt(JobProgress::completedTasks).sum();
        int active = outcome == null ? jobs.stream().mapToInt(JobProgress::activeTasks).sum() : 0;
        int failed = jobs.stream().mapToInt(JobProgress::failedTasks).sum();
        int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);

        StringBuilder summary = new StringBuilder();
        summary.append(jobs.size() == 1 ? "Spark job " : "Spark jobs ")
                .append(jobs.stream().map(j -> String.valueOf(j.jobId())).collect(Collectors.joining(", ")))
                .append(": ").append(done).append('/').append(tasks).append(" tasks");
        if (active > 0) {
            summary.append(", ").append(active).append(" running");
        }
        if (failed > 0) {
            summary.append(", ").append(failed).append(" failed");
        }
        if (outcome != null) {
            summary.append(switch (outcome) {
                case ok -> ", done";
                case error -> ", failed";
                case cancelled -> ", cancelled";
            });
        }

        int filled = (int) Math.round(TEXT_WIDTH * percent / 100.0);
        String text = "[" + "#".repeat(filled) + "-".repeat(TEXT_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", percent) + "  " + summary;
        String html = "<div class=\"sparkgate-progress\"><progress value=\"" + percent + "\" max=\"100\"></progress> "
                + "<span>" + percent + "% &middot; " + Html.escape(summary.toString()) + "</span>"
                + sparkUi.map(url -> " <a href=\"" + Html.escape(url) + "\" target=\"_blank\">Spark UI</a>").orElse("")
                + "</div>";

        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(Mime.TEXT, text);
        bundle.put(Mime.HTML, html);
        return bundle;
    }
}
