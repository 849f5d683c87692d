package dev.sparkgate.gateway.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Why a session's driver ended, as a bounded set: the label of {@code sparkgate_driver_exits_total}. An operator
 * reads from it whether drivers die of memory, get killed, fail to start or simply stop when asked.
 */
public enum DriverExitCause {
    /** Stopped by the gateway: the session was deleted or culled. */
    stopped,
    /** Exited on its own with code 0. */
    exited,
    /** Exited on its own with another code. */
    failed,
    /** Killed by a signal (exit code 137 or 143: SIGKILL, SIGTERM), e.g. the kernel's OOM killer or an operator. */
    killed,
    /** Ran out of Java heap: its last output names an OutOfMemoryError. */
    oom,
    /** Started but said it could not start Spark (a bad conf, a missing Python). */
    start_failed,
    /** Not ready within the start timeout, so stopped. */
    start_timeout,
    /** Its JVM or pod could not be launched at all. */
    launch_failed,
    /** Its link dropped (a gateway restart) and it did not dial back in time, so it was stopped. */
    unreachable;

    /** The cause of a driver exit the gateway did not ask for, from its exit code and its last lines of output. */
    public static DriverExitCause ofExit(int exitCode, List<String> lastOutput) {
        if (lastOutput.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT).contains("outofmemoryerror"))) {
            return oom;
        }
        if (exitCode == 137 || exitCode == 143) {
            return killed;
        }
        return exitCode == 0 ? exited : failed;
    }
}
