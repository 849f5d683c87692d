package dev.sparkgate.gateway.session;

import java.time.Duration;

/**
 * What a session was granted besides its Spark confs: how long it may sit idle before it is culled (zero: forever),
 * and whether a refused version check only warns ({@code sparkgate.versionCheck=warn}).
 */
public record SessionTerms(Duration idleTimeout, boolean versionCheckWarnOnly) {
}
