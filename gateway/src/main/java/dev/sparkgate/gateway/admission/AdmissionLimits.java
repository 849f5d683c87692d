package dev.sparkgate.gateway.admission;

import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.gateway.errors.OverCapacity;
import dev.sparkgate.gateway.errors.OverUserLimit;
import dev.sparkgate.gateway.placement.SparkSize;

import java.util.Map;

/**
 * A fair share: what one user may hold at once, and what the gateway takes on at all. A value of 0 is no limit.
 * Refusals are typed: over a user's limit {@link OverUserLimit} (429), over the gateway's capacity
 * {@link OverCapacity} (503 with Retry-After). Sessions beyond {@code maxStarting} are not refused: they wait, as
 * {@code not_started}, for a start slot (the session core's queue).
 *
 * @param userSessions          sessions one user may hold ({@code SPARKGATE_USER_MAX_SESSIONS})
 * @param userExecutors         executors one user's sessions may ask for together ({@code SPARKGATE_USER_MAX_EXECUTORS})
 * @param userDriverMemoryMiB   driver heap one user's sessions may have together ({@code SPARKGATE_USER_MAX_DRIVER_MEMORY})
 * @param sessions              sessions the gateway holds ({@code SPARKGATE_MAX_SESSIONS})
 * @param maxStarting           sessions it starts at once ({@code SPARKGATE_MAX_STARTING}); the rest wait
 * @param driverMemoryMiB       driver heap of all its local drivers together ({@code SPARKGATE_MAX_DRIVER_MEMORY_TOTAL};
 *                              local placement only: pods take their memory from the cluster)
 * @param defaultHeap           a driver's heap when its session does not say ({@code SPARKGATE_DRIVER_MEMORY})
 */
public record AdmissionLimits(int userSessions, long userExecutors, long userDriverMemoryMiB, int sessions,
                             int maxStarting, long driverMemoryMiB, String defaultHeap) {

    /** What an idle driver JVM holds (resident), measured: the unit the embedded default's session limit counts in. */
    public static final long IDLE_DRIVER_MIB = 460;
    /** Kept for the gateway itself and the operating system when sizing drivers to the machine. */
    public static final long RESERVED_MIB = 1024;
    /** How long a client refused for capacity is told to wait before it tries again. */
    public static final int RETRY_AFTER_SECONDS = 30;

    /** No limits at all (tests of other things, and the lead's starting point). */
    public static AdmissionLimits none(String defaultHeap) {
        return new AdmissionLimits(0, 0, 0, 0, 0, 0, defaultHeap);
    }

    /**
     * The operator's limits; unset gateway limits fit {@code machine} when drivers run on it ({@code localDrivers}):
     * as many sessions as idle drivers fit in its memory, as many starting at once as it has cores (a starting driver
     * keeps a core busy for seconds), and driver heaps together no larger than its memory. With drivers in pods the
     * cluster is the capacity: no gateway limit unless the operator sets one. User limits are the operator's policy:
     * none unless set.
     */
    public static AdmissionLimits fromEnvironment(Map<String, String> env, boolean localDrivers, Machine machine,
                                                  String defaultHeap) {
        long room = Math.max(IDLE_DRIVER_MIB, machine.memoryMiB() - RESERVED_MIB);
        return new AdmissionLimits(
                (int) number(env, "SPARKGATE_USER_MAX_SESSIONS", 0),
                number(env, "SPARKGATE_USER_MAX_EXECUTORS", 0),
                size(env, "SPARKGATE_USER_MAX_DRIVER_MEMORY", 0),
                (int) number(env, "SPARKGATE_MAX_SESSIONS", localDrivers ? room / IDLE_DRIVER_MIB : 0),
                (int) number(env, "SPARKGATE_MAX_STARTING", localDrivers ? Math.max(1, machine.cores()) : 0),
                localDrivers ? size(env, "SPARKGATE_MAX_DRIVER_MEMORY_TOTAL", room) : 0,
                defaultHeap);
    }

    /**
     * Refuses {@code asked} when {@code user}, who holds {@code usersNow}, or the gateway, which holds
     * {@code gatewayNow}, would go over a limit; the refusal names the limit, its setting and what is in use.
     */
    public void check(String user, Footprint asked, Footprint usersNow, Footprint gatewayNow) {
        if (userSessions > 0 && usersNow.sessions() + asked.sessions() > userSessions) {
            throw new OverUserLimit("User '" + user + "' has " + usersNow.sessions() + " sessions, the most one user "
                    + "may have (SPARKGATE_USER_MAX_SESSIONS=" + userSessions + "): delete one of them "
                    + "(DELETE /sessions/{id}) before creating another, or ask the operator for a higher limit.");
        }
        if (userExecutors > 0 && usersNow.executors() + asked.executors() > userExecutors) {
            throw new OverUserLimit("User '" + user + "' may have " + userExecutors + " executors at once "
                    + "(SPARKGATE_USER_MAX_EXECUTORS); their sessions have " + usersNow.executors() + " and this one "
                    + "asks for " + executors(asked.executors()) + ": ask for "
                    + Math.max(0, userExecutors - usersNow.executors()) + " or fewer (numExecutors, "
                    + "spark.dynamicAllocation.maxExecutors), or delete a session.");
        }
        if (userDriverMemoryMiB > 0 && usersNow.driverMemoryMiB() + asked.driverMemoryMiB() > userDriverMemoryMiB) {
            throw new OverUserLimit("User '" + user + "' may have " + userDriverMemoryMiB + " MiB of driver memory "
                    + "at once (SPARKGATE_USER_MAX_DRIVER_MEMORY); their sessions have " + usersNow.driverMemoryMiB()
                    + " MiB and this one asks for " + asked.driverMemoryMiB() + " MiB: ask for less driverMemory, or "
                    + "delete a session.");
        }
        if (sessions > 0 && gatewayNow.sessions() + asked.sessions() > sessions) {
            throw new OverCapacity("This gateway holds " + gatewayNow.sessions() + " sessions, the most it takes "
                    + "(SPARKGATE_MAX_SESSIONS=" + sessions + "): try again when sessions have been deleted or culled "
                    + "for idling.", RETRY_AFTER_SECONDS);
        }
        if (driverMemoryMiB > 0 && gatewayNow.driverMemoryMiB() + asked.driverMemoryMiB() > driverMemoryMiB) {
            throw new OverCapacity("The drivers on this machine have " + gatewayNow.driverMemoryMiB() + " MiB of heap "
                    + "together, and this session asks for " + asked.driverMemoryMiB() + " MiB more than the "
                    + driverMemoryMiB + " MiB this gateway gives its drivers (SPARKGATE_MAX_DRIVER_MEMORY_TOTAL): ask "
                    + "for less driverMemory, or try again when sessions have been deleted.", RETRY_AFTER_SECONDS);
        }
    }

    /** Whether another session may start now, with {@code startingNow} starting. */
    public boolean mayStart(int startingNow) {
        return maxStarting == 0 || startingNow < maxStarting;
    }

    private static String executors(long n) {
        return n >= Integer.MAX_VALUE ? "as many as dynamic allocation gives (no spark.dynamicAllocation.maxExecutors)"
                : String.valueOf(n);
    }

    private static long number(Map<String, String> env, String name, long otherwise) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is '" + text + "': give a whole number, or 0 for no limit.");
    }

    private static long size(Map<String, String> env, String name, long otherwiseMiB) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return otherwiseMiB;
        }
        try {
            return SparkSize.mebibytes(text, name);
        } catch (BadRequest e) {
            throw new IllegalArgumentException(e.getMessage() + " (0 for no limit)");
        }
    }
}
