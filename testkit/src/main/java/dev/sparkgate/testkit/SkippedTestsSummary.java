package dev.sparkgate.testkit;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says, as a test is skipped, what it needs, and lists, when a module's tests end, every test that did not run and
 * why, tools first with what installs them; then the same for the whole Maven run so far ({@link SkipLedger}), so the
 * last module's list is the run's. A skip is easy to miss among hundreds of passing tests: this is how a bare
 * machine's run says what it did not test. Registered with the JUnit Platform by {@code META-INF/services}, so every
 * module with testkit on its test classpath prints it.
 *
 * <p>The lines go to the test JVM's own stderr: surefire captures {@code System.out} and {@code System.err} into the
 * report files ({@code redirectTestOutputToFile}), but copies the JVM's native stderr to the Maven console.
 */
public final class SkippedTestsSummary implements TestExecutionListener {

    static final String PREFIX = "[skipped] ";

    private final PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);
    private final List<Skip> skips = new ArrayList<>();
    private final Set<String> announced = new LinkedHashSet<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, new Skip.Reason("not run", reason), reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) {
            return;
        }
        Throwable cause = result.getThrowable().orElse(null);
        String message = cause == null || cause.getMessage() == null ? "aborted" : cause.getMessage();
        Skip.Reason reason = cause instanceof MissingTool missing
                ? new Skip.Reason(missing.tool().name(), "install: " + missing.tool().install())
                : new Skip.Reason("not run", message);
        record(test, reason, message);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        List<Skip> done;
        synchronized (this) {
            done = List.copyOf(skips);
        }
        SkipLedger ledger = SkipLedger.ofThisMavenRun();
        String module = ledger.module();
        if (!done.isEmpty()) {
            int tests = done.stream().mapToInt(Skip::tests).sum();
            console.println(PREFIX + module + ": " + tests + " test" + (tests == 1 ? "" : "s") + " did not run"
                    + (ToolSwitch.toolsRequired() ? "" : " (" + ToolSwitch.VARIABLE + "=true makes a missing tool fail)")
                    + ":");
            describe(done).forEach(line -> console.println(PREFIX + "  " + line));
        }
        List<SkipLedger.Entry> run = ledger.append(module, done);
        if (!run.isEmpty()) {
            console.println(PREFIX + ledger.summary(run));
        }
    }

    private void record(TestIdentifier test, Skip.Reason reason, String message) {
        String where = name(test);
        int tests = plan == null || test.isTest() ? 1 : (int) plan.getDescendants(test).stream()
                .filter(TestIdentifier::isTest).count();
        synchronized (this) {
            skips.add(new Skip(where, Math.max(tests, 1), reason));
            // one line per class and reason, not one per test of a class that skips them all
            if (announced.add(className(where) + "|" + message)) {
                console.println(PREFIX + where + ": " + message);
            }
        }
    }

    /** {@code Class.method()} for a test, {@code Class} for a class skipped whole: names, not display sentences. */
    private String name(TestIdentifier test) {
        if (plan == null || !test.isTest()) {
            return test.getDisplayName();
        }
        return plan.getParent(test).filter(parent -> parent.getSource().isPresent())
                .map(parent -> parent.getDisplayName() + "." + test.getLegacyReportingName())
                .orElse(test.getLegacyReportingName());
    }

    private static String className(String where) {
        int dot = where.indexOf('.');
        return dot < 0 ? where : where.substring(0, dot);
    }

    /** One line per reason: how many tests, which, and what to do. */
    static List<String> describe(List<Skip> skips) {
        Map<Skip.Reason, List<Skip>> byReason = new LinkedHashMap<>();
        skips.stream().sorted((a, b) -> Boolean.compare(a.reason().isOther(), b.reason().isOther()))
                .forEach(skip -> byReason.computeIfAbsent(skip.reason(), r -> new ArrayList<>()).add(skip));
        List<String> lines = new ArrayList<>();
        byReason.forEach((reason, group) -> {
            int tests = group.stream().mapToInt(Skip::tests).sum();
            List<String> names = group.stream().map(skip -> className(skip.where())).distinct().toList();
            String shown = names.size() <= 4 ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 4)) + " and " + (names.size() - 4) + " more";
            lines.add(reason.what() + ": " + tests + " test" + (tests == 1 ? "" : "s") + " (" + shown + "); "
                    + reason.detail());
        });
        return lines;
    }

    /** Tests that did not run for one reason: a test, or a class whose tests all did not run. */
    record Skip(String where, int tests, Reason reason) {

        /** A missing tool and what installs it, or "not run" and the test's own reason. */
        record Reason(String what, String detail) {
            boolean isOther() {
                return what.equals("not run");
            }
        }
    }
}
