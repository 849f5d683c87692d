package dev.sparkgate.protocol;

/** What a ready driver reports about itself. {@code pythonVersion} is null where the session has no Python. */
public record DriverInfo(String sparkVersion, String scalaVersion, String master, String appId, String sparkUiUrl,
                         String pythonVersion, long pid) {
}
