package dev.sparkgate.gateway.placement;

/**
 * A driver a placement left running before the gateway restarted, with what was kept beside it.
 *
 * @param sessionId its session
 * @param session   what the session core wrote of its session ({@link DriverLaunch#record()}), as it wrote it
 * @param secret    the session's secret, which the driver presents when it dials back
 * @param where     the placement's own note of where the driver runs (a process, a pod), for {@link DriverPlacement#reclaim}
 */
public record FoundDriver(int sessionId, String session, String secret, String where) {
}
