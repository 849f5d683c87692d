package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.driver.DriverLog;

/**
 * A session's driver log, of a live session or of one deleted a short while ago ({@link EndedLogs}), with whose
 * session it was, so that only those who could see the session read it.
 */
public record SessionLog(int sessionId, DriverLog log, String owner, Sharing sharing) {
}
