package dev.sparkgate.driver.python;

import dev.sparkgate.protocol.InterpreterAnswer.Completeness;
import dev.sparkgate.protocol.InterpreterAnswer.Completions;
import dev.sparkgate.protocol.InterpreterAnswer.Inspection;
import dev.sparkgate.driver.interpreter.ExecutionResult;
import dev.sparkgate.protocol.Mime;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;
import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.sparkgate.driver.python.TestPython.errorOf;
import static dev.sparkgate.driver.python.TestPython.textOf;
import static dev.sparkgate.driver.python.TestPython.valueOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cells of plain Python, as a notebook user sees them. Runs everywhere (no PySpark needed): the session's
 * Python is Debian's, and the session allows Python without PySpark. One interpreter serves the class, as
 * one serves a session.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PythonCellsTest {

    private static PythonInterpreter python;

    @BeforeAll
    static void startPython() {
        TestPython.systemPythonOrSkip();
        python = PythonInterpreter.start(TestPython.plainPythonSession(), null);
    }

    @AfterAll
    static void stopPython() {
        if (python != null) {
            python.close();
        }
    }

    private static ExecutionResult run(String code) {
        return run(code, new RecordingContext());
    }

    private static ExecutionResult run(String code, RecordingContext context) {
        return python.execute(code, context);
    }

    @Test
    @DisplayName("the value of the last expression is the cell's result, as text")
    void lastExpressionIsTheResult() {
        // given a cell whose last line is an expression
        ExecutionResult result = run("x = 20\nx + 22");

        // then its value is the result
        assertThat(textOf(result)).isEqualTo("42");
    }

    @Test
    @DisplayName("a cell that ends with a statement, or with None, has an empty result")
    void statementsHaveNoResult() {
        assertThat(valueOf(run("y = 1"))).isEmpty();
        assertThat(valueOf(run("None"))).isEmpty();
    }

    @Test
    @DisplayName("names defined in one cell, a multi-line function included, are there in the next")
    void stateIsKeptAcrossCells() {
        // given a cell that defines a function over several lines
        run("""
                def greet(name):
                    greeting = "hello, " + name
                    return greeting.upper()
                """);

        // when a later cell calls it
        ExecutionResult result = run("greet('spark')");

        // then the function was remembered
        assertThat(textOf(result)).isEqualTo("'HELLO, SPARK'");
    }

    @Test
    @DisplayName("print output reaches the statement while the cell still runs, line by line")
    void printIsStreamedAsProduced() {
        // given a cell that prints a line every 200 ms for a second
        RecordingContext context = new RecordingContext();
        String cell = """
                import time
                for i in range(5):
                    print("tick", i)
                    time.sleep(0.2)
                """;

        // when it runs
        run(cell, context);
        long ended = System.nanoTime();

        // then its first line arrived long before the cell ended, and all lines arrived in order
        RecordingContext.Chunk first = context.chunks().get(0);
        assertThat(first.text()).isEqualTo("tick 0\n");
        assertThat(Duration.ofNanos(ended - first.arrivedNanos())).isGreaterThan(Duration.ofMillis(600));
        assertThat(context.stdout()).isEqualTo("tick 0\ntick 1\ntick 2\ntick 3\ntick 4\n");
        assertThat(context.chunks()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    @DisplayName("a partial line is not held back until the end of the cell")
    void partialLineIsSentSoon() {
        RecordingContext context = new RecordingContext();

        run("import time\nprint('working...', end='')\ntime.sleep(1)\nprint(' done')", context);
        long ended = System.nanoTime();

        RecordingContext.Chunk first = context.chunks().get(0);
        assertThat(first.text()).isEqualTo("working...");
        assertThat(Duration.ofNanos(ended - first.arrivedNanos())).isGreaterThan(Duration.ofMillis(700));
        assertThat(context.stdout()).isEqualTo("working... done\n");
    }

    @Test
    @DisplayName("stderr goes to the statement's stderr, apart from stdout")
    void stderrIsSeparate() {
        RecordingContext context = new RecordingContext();

        run("import sys\nprint('to out')\nprint('to err', file=sys.stderr)", context);

        assertThat(context.stdout()).isEqualTo("to out\n");
        assertThat(context.stderr()).isEqualTo("to err\n");
    }

    @Test
    @DisplayName("a cell that redirects sys.stdout and never restores it does not silence the next cells")
    void stdoutIsRestoredForEachCell() {
        run("import io, sys\nsys.stdout = io.StringIO()\nprint('swallowed')");
        RecordingContext context = new RecordingContext();

        run("print('visible again')", context);

        assertThat(context.stdout()).isEqualTo("visible again\n");
    }

    @Test
    @DisplayName("output of programs the cell starts reaches the statement too")
    void childProcessOutputIsCaptured() {
        for (int i = 0; i < 10; i++) {
            RecordingContext context = new RecordingContext();

            run("import subprocess\nsubprocess.run(['echo', 'child " + i + "'], check=True)\n"
                    + "subprocess.run('echo child " + i + " err >&2', shell=True)", context);

            assertThat(context.stdout()).isEqualTo("child " + i + "\n");
            assertThat(context.stderr()).isEqualTo("child " + i + " err\n");
        }
    }

    @Test
    @DisplayName("many printed lines come back complete and in order (sparkmagic parses them)")
    void manyLinesInOrder() {
        RecordingContext context = new RecordingContext();

        run("for i in range(3000):\n    print('{\"i\": %d}' % i)", context);

        String expected = IntStream.range(0, 3000).mapToObj(i -> "{\"i\": " + i + "}\n").collect(Collectors.joining());
        assertThat(context.stdout()).isEqualTo(expected);
    }

    @Test
    @DisplayName("an exception fails the cell with its name, message and a traceback of the user's frames only")
    void exceptionIsAFailureWithCleanTraceback() {
        // given a function that fails, defined in one cell
        run("def divide(a, b):\n    return a / b");

        // when a later cell calls it
        ErrorInfo error = errorOf(run("x = 1\ndivide(x, 0)"));

        // then the failure names the exception, and the traceback starts at the cell, not at the REPL
        assertThat(error.ename()).isEqualTo("ZeroDivisionError");
        assertThat(error.evalue()).isEqualTo("division by zero");
        String traceback = String.join("", error.traceback());
        assertThat(error.traceback().get(0)).isEqualTo("Traceback (most recent call last):\n");
        assertThat(traceback).contains("in <module>", "divide(x, 0)", "in divide", "return a / b",
                "ZeroDivisionError: division by zero");
        assertThat(traceback).doesNotContain("sparkgate_repl", "run_repl");
    }

    @Test
    @DisplayName("a syntax error fails the cell and points at the offending code")
    void syntaxErrorIsAFailure() {
        ErrorInfo error = errorOf(run("x = 1\ny = (x +\n"));

        assertThat(error.ename()).isEqualTo("SyntaxError");
        assertThat(String.join("", error.traceback())).contains("y = (x +").doesNotContain("sparkgate_repl");
    }

    @Test
    @DisplayName("sys.exit() in a cell is just a failure: the session keeps its Python")
    void systemExitDoesNotEndTheSession() {
        run("kept = 'still here'");

        assertThat(errorOf(run("import sys\nsys.exit(2)")).ename()).isEqualTo("SystemExit");
        assertThat(textOf(run("kept"))).isEqualTo("'still here'");
    }

    @Test
    @DisplayName("interrupt stops a busy loop with KeyboardInterrupt, and the next cell runs")
    void interruptStopsBusyLoop() throws Exception {
        assertInterruptible("while True:\n    pass");
    }

    @Test
    @DisplayName("interrupt stops a long sleep with KeyboardInterrupt, and the next cell runs")
    void interruptStopsSleep() throws Exception {
        assertInterruptible("import time\ntime.sleep(60)");
    }

    private static void assertInterruptible(String cell) throws Exception {
        // given a cell that would run for a long time
        CompletableFuture<ExecutionResult> running = CompletableFuture.supplyAsync(() -> run(cell));
        Thread.sleep(500);

        // when it is interrupted
        long interruptedAt = System.nanoTime();
        python.interrupt();
        ExecutionResult result = running.get(10, TimeUnit.SECONDS);

        // then it ends promptly as a KeyboardInterrupt in the user's code
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(3));
        ErrorInfo error = errorOf(result);
        assertThat(error.ename()).isEqualTo("KeyboardInterrupt");
        assertThat(String.join("", error.traceback())).contains("<cell").doesNotContain("sparkgate_repl");
        // and the session goes on
        assertThat(textOf(run("'after the interrupt'"))).isEqualTo("'after the interrupt'");
    }

    @Test
    @DisplayName("an interrupt while no cell runs does nothing")
    void interruptWhenIdleIsHarmless() {
        python.interrupt();

        assertThat(textOf(run("1 + 1"))).isEqualTo("2");
    }

    @Test
    @DisplayName("completion offers names and attributes, replacing just the word at the cursor")
    void completion() {
        // given names in the session
        run("import os\nmy_counter = 1\nmy_config = {}");

        // when completing a name
        Completions names = python.complete("x = my_co", 9);
        // then both matching names are offered, to replace "my_co"
        assertThat(names.candidates()).containsExactly("my_config", "my_counter");
        assertThat(names.cursorStart()).isEqualTo(4);
        assertThat(names.cursorEnd()).isEqualTo(9);

        // when completing an attribute in the middle of a line
        Completions attributes = python.complete("print(os.pa + 1)", 11);
        // then the attributes are offered, to replace only "pa"
        assertThat(attributes.candidates()).contains("path", "pardir").allMatch(c -> c.startsWith("pa"));
        assertThat(attributes.cursorStart()).isEqualTo(9);
        assertThat(attributes.cursorEnd()).isEqualTo(11);
    }

    @Test
    @DisplayName("completion offsets count Java characters, also after an emoji")
    void completionOffsetsAfterAstralCharacters() {
        run("import os");
        String code = "s = '\uD83D\uDE00'; os.pa";   // the emoji is 2 Java chars, 1 Python character

        Completions completion = python.complete(code, code.length());

        assertThat(completion.cursorEnd()).isEqualTo(code.length());
        assertThat(completion.cursorStart()).isEqualTo(code.length() - 2);
        assertThat(completion.candidates()).contains("path");
    }

    @Test
    @DisplayName("inspect documents the name at the cursor, or the call it is in, with source at detail level 1")
    void inspect() {
        // given a function defined in the session
        run("def scale(value, factor=2):\n    \"\"\"Multiplies value by factor.\"\"\"\n    return value * factor");

        // when inspecting it by name, inside a call to it, and at detail level 1
        Inspection byName = python.inspect("scale", 5, 0);
        Inspection inCall = python.inspect("x = scale(3, ", 13, 0);
        Inspection withSource = python.inspect("scale", 2, 1);

        // then its signature, type and docstring are shown, and its source only when asked
        assertThat(byName.found()).isTrue();
        assertThat(byName.text())
                .contains("Signature: scale(value, factor=2)", "Type:      function", "Multiplies value by factor.")
                .doesNotContain("return value * factor");
        assertThat(inCall).isEqualTo(byName);
        assertThat(withSource.found()).isTrue();
        assertThat(withSource.text()).contains("Source:", "return value * factor");
        // and attributes of modules and builtins are found too, while unknown names are not
        run("import os");
        Inspection join = python.inspect("os.path.join", 12, 0);
        assertThat(join.found()).isTrue();
        assertThat(join.text()).contains("Signature: join(", "Join two or more pathname components");
        assertThat(python.inspect("zip", 3, 0).found()).isTrue();
        assertThat(python.inspect("no_such_name", 12, 0)).isEqualTo(Inspection.NOTHING);
        assertThat(python.inspect("os.no_such_attribute", 20, 0)).isEqualTo(Inspection.NOTHING);
        assertThat(python.inspect("1 + ", 4, 0)).isEqualTo(Inspection.NOTHING);
    }

    @Test
    @DisplayName("checkComplete answers like Jupyter: complete, incomplete with an indent, or invalid")
    void checkComplete() {
        assertThat(python.checkComplete("x = 1")).isEqualTo(Completeness.COMPLETE);
        assertThat(python.checkComplete("for i in range(3):")).isEqualTo(Completeness.incomplete("    "));
        assertThat(python.checkComplete("if x:\n    for i in y:")).isEqualTo(Completeness.incomplete("        "));
        assertThat(python.checkComplete("total = (1 +\n")).isEqualTo(Completeness.incomplete(""));
        assertThat(python.checkComplete("def f():\n    return 1\n\n")).isEqualTo(Completeness.COMPLETE);
        assertThat(python.checkComplete("x = 1 +")).isEqualTo(Completeness.INVALID);
        assertThat(python.checkComplete("def f(:")).isEqualTo(Completeness.INVALID);
    }

    @Test
    @DisplayName("display() sends rich output now: an object's HTML, a dict as text, a raw MIME bundle")
    void displayHelper() {
        // given an object that renders itself as HTML
        run("""
                class Badge:
                    def _repr_html_(self):
                        return "<b>ok</b>"
                    def __repr__(self):
                        return "Badge()"
                """);
        RecordingContext context = new RecordingContext();

        // when a cell displays it, a dict and a raw bundle, and prints in between
        ExecutionResult result = run("""
                print("before")
                display(Badge())
                display({"rows": 3})
                display({"text/html": "<i>raw</i>", "text/plain": "raw"}, raw=True, display_id="d1")
                """, context);

        // then each became one display, in order, and the cell itself has no value
        assertThat(valueOf(result)).isEmpty();
        assertThat(context.stdout()).isEqualTo("before\n");
        List<RecordingContext.Display> displays = context.displays();
        assertThat(displays).hasSize(3);
        assertThat(displays.get(0).data()).containsEntry(Mime.HTML, "<b>ok</b>").containsEntry(Mime.TEXT, "Badge()");
        assertThat(displays.get(1).data()).isEqualTo(Map.of(Mime.TEXT, "{'rows': 3}"));
        assertThat(displays.get(2).data()).containsEntry(Mime.HTML, "<i>raw</i>");
        assertThat(displays.get(2).displayId()).isEqualTo("d1");
    }

    @Test
    @DisplayName("a result that renders itself as HTML comes back as HTML and text")
    void htmlResult() {
        run("class Table:\n    def _repr_html_(self):\n        return '<table></table>'");

        Map<String, Object> data = valueOf(run("Table()"));

        assertThat(data).containsEntry(Mime.HTML, "<table></table>").containsKey(Mime.TEXT);
    }

    @Test
    @DisplayName("matplotlib figures left open by a cell are shown as PNG images, as with the inline backend")
    void matplotlibFigures() {
        OutsideTools.MATPLOTLIB.require();
        RecordingContext context = new RecordingContext();

        // when a cell plots, shows one figure explicitly and leaves another open
        run("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()\nplt.figure()\nplt.bar([1], [2])\nNone", context);

        // then both arrive as PNG images, and no window or warning is involved
        assertThat(context.displays()).hasSize(2).allSatisfy(display -> assertThat(display.data())
                .hasEntrySatisfying(Mime.PNG, png -> assertThat((String) png).startsWith("iVBORw0KGgo"))
                .hasEntrySatisfying(Mime.TEXT, text -> assertThat((String) text).startsWith("<Figure size")));
        assertThat(context.stderr()).isEmpty();
    }

    @Test
    @DisplayName("Livy's magics work: %json and %table of a variable")
    void livyMagics() {
        run("rows = [{'name': 'a', 'n': 1}, {'name': 'b', 'n': 2}]");

        assertThat(valueOf(run("%json rows")).get(Mime.JSON)).isEqualTo(List.of(
                Map.of("name", "a", "n", 1), Map.of("name", "b", "n", 2)));
        assertThat(valueOf(run("%table rows")).get(Mime.LIVY_TABLE)).isEqualTo(Map.of(
                "headers", List.of(Map.of("name", "n", "type", "INT_TYPE"), Map.of("name", "name", "type", "STRING_TYPE")),
                "data", List.of(List.of(1, "a"), List.of(2, "b"))));
    }

    @Test
    @DisplayName("a cell of several MB (data pasted as code) runs")
    void bigCell() {
        // given a 6 MB string literal in a cell, as sparkmagic sends when it inlines a data frame
        String payload = "0123456789abcdef".repeat(6 * 1024 * 1024 / 16);
        String cell = "payload = '''" + payload + "'''\nlen(payload)";

        // when it runs
        ExecutionResult result = run(cell);

        // then all of it reached Python
        assertThat(textOf(result)).isEqualTo(Integer.toString(payload.length()));
    }

    @Test
    @DisplayName("text that is not ASCII survives the round trip")
    void unicodeRoundTrip() {
        RecordingContext context = new RecordingContext();

        ExecutionResult result = run("s = 'grüße, 世界, \uD83D\uDE00'\nprint(s)\ns", context);

        assertThat(context.stdout()).isEqualTo("grüße, 世界, \uD83D\uDE00\n");
        assertThat(textOf(result)).isEqualTo("'grüße, 世界, \uD83D\uDE00'");
    }

    @Test
    @DisplayName("input() fails fast instead of waiting for a terminal that is not there")
    void inputFailsFast() {
        assertThat(errorOf(run("input('name? ')")).ename()).isEqualTo("EOFError");
    }
}
