package dev.sparkgate.gateway.kubernetes;

import dev.sparkgate.gateway.errors.Unavailable;

import java.util.BitSet;

/**
 * The ports executors dial drivers on: each session takes two from the configured range (its driver's RPC port and
 * its block manager's), so that a firewall or a pod's declared ports can name them, and gives them back at its end.
 */
public final class DriverPorts {

    /** The two ports of one session's driver. */
    public record Pair(int driverPort, int blockManagerPort) {
    }

    private final int first;
    private final int last;
    private final BitSet taken = new BitSet();

    public DriverPorts(int first, int last) {
        this.first = first;
        this.last = last;
    }

    public synchronized Pair take() {
        for (int port = first; port + 1 <= last; port += 2) {
            int slot = port - first;
            if (!taken.get(slot)) {
                taken.set(slot);
                return new Pair(port, port + 1);
            }
        }
        throw new Unavailable("Every driver port in " + first + "-" + last + " is taken: end a session, or widen "
                + "SPARKGATE_DRIVER_PORTS (two ports per session).");
    }

    public synchronized void release(Pair pair) {
        taken.clear(pair.driverPort() - first);
    }
}
