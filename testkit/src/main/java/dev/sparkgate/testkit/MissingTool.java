package dev.sparkgate.testkit;

import org.opentest4j.TestAbortedException;

/**
 * A test did not run because this machine lacks a tool it needs: JUnit reports it skipped, and
 * {@link SkippedTestsSummary} lists it at the end of the run with what to install.
 */
public final class MissingTool extends TestAbortedException {

    private final Tool tool;

    MissingTool(Tool tool, String problem) {
        super(tool.skipLine(problem));
        this.tool = tool;
    }

    public Tool tool() {
        return tool;
    }
}
