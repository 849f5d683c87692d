package dev.sparkgate.bridge.jupyter;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT, Jupyter's interrupt for kernels whose kernelspec says {@code interrupt_mode: signal} (ours say
 * {@code message}, but a front end may still send the signal). Without a handler it would end the JVM.
 */
final class Interrupts {

    private static final System.Logger LOG = System.getLogger("sparkgate.kernel");

    private Interrupts() {
    }

    static void onSigint(Runnable interrupt) {
        try {
            SignalHandler before = Signal.handle(new Signal("INT"), signal -> {
                // One line per signal: an interrupt that did not stop a cell can then be traced to here or past it.
                LOG.log(System.Logger.Level.INFO, "SIGINT: interrupting the running cell");
                interrupt.run();
            });
            if (before == SignalHandler.SIG_IGN) {
                // The JVM keeps a SIGINT its launcher ignored (a Jupyter started in the background by a script): say
                // so once, rather than let a front end's signal vanish.
                LOG.log(System.Logger.Level.WARNING, "SIGINT was ignored when this kernel started, and stays so: "
                        + "interrupt cells by message (interrupt_request, the kernelspec's interrupt_mode), or start "
                        + "Jupyter in the foreground to interrupt them by signal");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
            // Some JVMs reserve SIGINT (-Xrs); interrupt_request on the control channel still works.
            LOG.log(System.Logger.Level.WARNING, "SIGINT cannot interrupt cells here: " + unavailable.getMessage());
        }
    }
}
