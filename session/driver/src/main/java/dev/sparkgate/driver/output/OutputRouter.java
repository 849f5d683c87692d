package dev.sparkgate.driver.output;

import dev.sparkgate.protocol.StatementEvent.StreamName;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Owns the JVM's {@code System.out} and {@code System.err}. While a statement runs, whatever anyone prints
 * (user code, Scala's {@code Console}, a local-mode task) is that statement's output; between statements it goes
 * to the process's own streams, which the gateway keeps as the session's log.
 *
 * <p>It must be installed before Spark or Scala touch the streams: {@code scala.Console} captures
 * {@code System.out} once, when it is first used.
 */
public final class OutputRouter {

    /** How often buffered output is sent: short enough to feel live, long enough to batch a burst of prints. */
    private static final long FLUSH_MILLIS = 20;

    private final PrintStream processOut;
    private final PrintStream processErr;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "output-flusher");
        t.setDaemon(true);
        return t;
    });
    private volatile StatementOutput current;

    private OutputRouter(PrintStream processOut, PrintStream processErr) {
        this.processOut = processOut;
        this.processErr = processErr;
    }

    public static OutputRouter install() {
        OutputRouter router = new OutputRouter(System.out, System.err);
        System.setOut(router.stream(StreamName.stdout, router.processOut));
        System.setErr(router.stream(StreamName.stderr, router.processErr));
        router.flusher.scheduleWithFixedDelay(router::flushCurrent, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        return router;
    }

    /** The driver's own log stream, never routed to a statement. */
    public PrintStream log() {
        return processErr;
    }

    /** Routes output to {@code output} until {@link #release} is called for it. */
    public void capture(StatementOutput output) {
        current = output;
    }

    public void release(StatementOutput output) {
        if (current == output) {
            current = null;
        }
        output.close();
    }

    private void flushCurrent() {
        StatementOutput output = current;
        if (output != null) {
            output.flush();
        }
    }

    private PrintStream stream(StreamName name, PrintStream process) {
        OutputStream routing = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                StatementOutput output = current;
                if (output != null) {
                    output.write(name, b, off, len);
                } else {
                    process.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                if (current == null) {
                    process.flush();
                }
            }
        };
        return new PrintStream(routing, true, StandardCharsets.UTF_8);
    }
}
