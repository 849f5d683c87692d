package dev.sparkgate.bridge.jupyter;

import sun.misc.Signal;

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
            Signal.handle(new Signal("INT"), signal -> {
                // One line per signal: an interrupt that did not stop a cell can then be traced to here or past it.
                LOG.log(System.Logger.Level.INFO, "SIGINT: interrupting the running cell");
                interrupt.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
            // Some JVMs reserve SIGINT (-Xrs); interrupt_request on the control channel still works.
            LOG.log(System.Logger.Level.WARNING, "SIGINT cannot interrupt cells here: " + unavailable.getMessage());
        }
    }
}
