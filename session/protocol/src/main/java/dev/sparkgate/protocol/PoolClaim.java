package dev.sparkgate.protocol;

/**
 * What the gateway hands a pooled driver when a session takes it: the driver was started and warmed with no session,
 * and from now on it is this one's, exactly as if it had been started for it. The gateway writes it whole (a temporary
 * file moved into place) into the pooled driver's claim file; the driver reads it once.
 *
 * @param link       where the session's driver dials back ({@code SPARKGATE_DRIVER_LINK} of a driver started cold)
 * @param secretFile the session's secret, a 0600 file beside the claim ({@code SPARKGATE_SESSION_SECRET_FILE})
 * @param spec       the session, its id, kind and owner among it
 */
public record PoolClaim(String link, String secretFile, SessionSpec spec) {
}
