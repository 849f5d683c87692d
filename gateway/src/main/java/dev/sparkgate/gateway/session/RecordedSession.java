package dev.sparkgate.gateway.session;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.SessionSpec;
import dev.sparkgate.protocol.VersionVerdict;

import java.time.Duration;

/**
 * What a restarted gateway needs to know a session again, as the session core writes it: the spec its driver runs
 * (id, name, kind, owner, confs), what the client asked for (Livy's fields, as the session's JSON shows them), its
 * terms, when it was created and its version check. No secret and no statement: the secret stays where the placement
 * keeps it for the driver, and the statements are the driver's to give back. Its placement keeps it beside the driver
 * (a file in the work directory, a driver pod's annotation), as JSON ({@link #toJson()}).
 */
public record RecordedSession(SessionSpec spec, SessionRequest request, Terms terms, long createdAt,
                              VersionVerdict versions) {

    /** {@link SessionTerms} in plain JSON values (the protocol's mapper writes no {@code Duration}). */
    public record Terms(long idleTimeoutMillis, boolean versionCheckWarnOnly) {

        static Terms of(SessionTerms terms) {
            return new Terms(terms.idleTimeout().toMillis(), terms.versionCheckWarnOnly());
        }
    }

    SessionTerms sessionTerms() {
        return new SessionTerms(Duration.ofMillis(terms.idleTimeoutMillis()), terms.versionCheckWarnOnly());
    }

    public int id() {
        return spec.id();
    }

    public String toJson() {
        return Json.write(this);
    }

    /** @throws java.io.UncheckedIOException naming nothing of the content when the JSON is not a session's */
    public static RecordedSession fromJson(String json) {
        return Json.read(json, RecordedSession.class);
    }
}
