package dev.sparkgate.jupyter;

import dev.sparkgate.protocol.StatementEvent;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where a statement's events become what Jupyter shows: iopub messages. Both Jupyter front doors (the
 * ZeroMQ kernel and the Kernel Gateway WebSocket) publish exactly what this returns.
 *
 * <ul>
 *   <li>{@code stream} → {@code stream}, as the text arrives;</li>
 *   <li>{@code display} → {@code display_data}, or {@code update_display_data} when its display id was shown before;</li>
 *   <li>{@code progress} → a progress bar: {@code display_data} at the statement's first progress event, then
 *       {@code update_display_data} with the same display id, and a last update when the statement ends;</li>
 *   <li>{@code finished} → {@code execute_result} with the value, or {@code error} with its traceback.</li>
 * </ul>
 * One mapper serves one kernel: it remembers the display ids the kernel has shown.
 */
public final class IopubMapper {

    /** One iopub message to publish: its type and content. */
    public record Output(String msgType, Map<String, Object> content) {
    }

    private final String progressIdPrefix;
    private final java.util.function.Supplier<java.util.Optional<String>> sparkUi;
    private final Set<String> shownDisplayIds = ConcurrentHashMap.newKeySet();
    private final Map<Integer, StatementEvent.Progress> progressShown = new ConcurrentHashMap<>();

    /** {@code kernelSession} makes progress display ids unique across kernels a front end talks to. */
    public IopubMapper(String kernelSession) {
        this(kernelSession, java.util.Optional::empty);
    }

    /** {@code sparkUi}: where the progress bar links to the session's Spark UI, when anywhere. */
    public IopubMapper(String kernelSession, java.util.function.Supplier<java.util.Optional<String>> sparkUi) {
        this.progressIdPrefix = "sparkgate-progress-" + kernelSession + "-";
        this.sparkUi = sparkUi;
    }

    /**
     * The iopub messages for one event of a statement run as execution {@code executionCount}. A {@code silent}
     * execution publishes no result, as Jupyter's protocol asks.
     */
    public List<Output> map(StatementEvent event, int executionCount, boolean silent) {
        if (event instanceof StatementEvent.Stream stream) {
            return List.of(new Output("stream", Map.of("name", stream.name().name(), "text", stream.text())));
        }
        if (event instanceof StatementEvent.Display display) {
            return List.of(display(display.displayId(), NotebookBundle.of(display.data())));
        }
        if (event instanceof StatementEvent.Progress progress) {
            if (!progressShown.containsKey(progress.statementId()) && tasks(progress) == 0) {
                // a job whose stages are not planned yet: a bar that says 0/0 tells nobody anything
                return List.of();
            }
            boolean first = progressShown.put(progress.statementId(), progress) == null;
            return List.of(displayOutput(first ? "display_data" : "update_display_data",
                    ProgressBar.running(progress, sparkUi.get()), progressDisplayId(progress.statementId())));
        }
        if (event instanceof StatementEvent.Finished finished) {
            return finished(finished, executionCount, silent);
        }
        return List.of();
    }

    private static int tasks(StatementEvent.Progress progress) {
        return progress.jobs().stream().mapToInt(StatementEvent.JobProgress::numTasks).sum();
    }

    /** The display id of a statement's progress bar. */
    public String progressDisplayId(int statementId) {
        return progressIdPrefix + statementId;
    }

    private List<Output> finished(StatementEvent.Finished finished, int executionCount, boolean silent) {
        List<Output> outputs = new ArrayList<>();
        StatementEvent.Progress lastProgress = progressShown.remove(finished.statementId());
        if (lastProgress != null) {
            outputs.add(displayOutput("update_display_data", ProgressBar.ended(lastProgress, finished.outcome(), sparkUi.get()),
                    progressDisplayId(finished.statementId())));
        }
        if (finished.outcome() == StatementEvent.Outcome.ok) {
            Map<String, Object> result = finished.result() == null ? Map.of() : finished.result();
            if (!result.isEmpty() && !silent) {
                Map<String, Object> content = new LinkedHashMap<>();
                content.put("execution_count", executionCount);
                content.put("data", NotebookBundle.of(result));
                content.put("metadata", Map.of());
                outputs.add(new Output("execute_result", content));
            }
        } else {
            outputs.add(new Output("error", errorContent(errorOf(finished))));
        }
        return outputs;
    }

    private Output display(String displayId, Map<String, Object> data) {
        if (displayId == null) {
            return displayOutput("display_data", data, null);
        }
        boolean shownBefore = !shownDisplayIds.add(displayId);
        return displayOutput(shownBefore ? "update_display_data" : "display_data", data, displayId);
    }

    private static Output displayOutput(String msgType, Map<String, Object> data, String displayId) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("data", data);
        content.put("metadata", Map.of());
        content.put("transient", displayId == null ? Map.of() : Map.of("display_id", displayId));
        return new Output(msgType, content);
    }

    /** What went wrong in a finished statement; a cancelled one carries the gateway's own explanation. */
    public static ErrorInfo errorOf(StatementEvent.Finished finished) {
        if (finished.error() != null) {
            return finished.error();
        }
        return finished.outcome() == StatementEvent.Outcome.cancelled
                ? new ErrorInfo("Cancelled", "The statement was cancelled.", List.of())
                : new ErrorInfo("Error", "The statement failed without saying why.", List.of());
    }

    /**
     * An error's content for {@code error} messages and error replies. Front ends show only the traceback, so a
     * traceback that does not name the error gets {@code ename: evalue} first.
     */
    public static Map<String, Object> errorContent(ErrorInfo error) {
        String ename = error.ename() == null ? "Error" : error.ename();
        String evalue = error.evalue() == null ? "" : error.evalue();
        List<String> traceback = new ArrayList<>(error.traceback() == null ? List.of() : error.traceback());
        String headline = evalue.isEmpty() ? ename : ename + ": " + evalue;
        boolean named = traceback.stream().anyMatch(line -> line.contains(evalue.isEmpty() ? ename : evalue));
        if (!named) {
            traceback.add(0, headline);
        }
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("ename", ename);
        content.put("evalue", evalue);
        content.put("traceback", traceback);
        return content;
    }
}
