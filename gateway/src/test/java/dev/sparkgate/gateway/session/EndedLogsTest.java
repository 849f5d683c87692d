package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.errors.NotFound;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.gateway.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A deleted session's driver log stays readable for an hour, among the last hundred; then it says it is gone. */
class EndedLogsTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final EndedLogs ended = new EndedLogs(clock);

    @Test
    void aDeletedSessionsLogIsKeptForItsWhileThenNamedAsGone() {
        DriverLog log = logWith("last words");
        ended.keep(3, log, "ada", Sharing.NONE);

        clock.advance(EndedLogs.KEPT_FOR.minus(Duration.ofSeconds(1)));
        assertThat(ended.log("3", Optional.of(3)).log().tail(1)).containsExactly("last words");

        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> ended.log("3", Optional.of(3))).isInstanceOf(NotFound.class)
                .hasMessageContaining("no longer kept").hasMessageContaining("60 minutes");
    }

    @Test
    void onlyTheLastHundredAreKept() {
        for (int id = 0; id <= EndedLogs.MAX_KEPT; id++) {
            ended.keep(id, logWith("session " + id), "ada", Sharing.NONE);
        }

        assertThatThrownBy(() -> ended.log("0", Optional.of(0))).isInstanceOf(NotFound.class)
                .hasMessageContaining("last " + EndedLogs.MAX_KEPT);
        assertThat(ended.log("1", Optional.of(1)).log().tail(1)).containsExactly("session 1");
        assertThat(ended.log("100", Optional.of(100)).log().tail(1)).containsExactly("session 100");
    }

    @Test
    void aSessionNeverSeenIsLivysNotFound() {
        assertThatThrownBy(() -> ended.log("42", Optional.of(42))).isInstanceOf(SessionNotFound.class)
                .hasMessage("Session '42' not found.");
        assertThatThrownBy(() -> ended.log("some-name", Optional.empty())).isInstanceOf(SessionNotFound.class);
    }

    private static DriverLog logWith(String line) {
        DriverLog log = new DriverLog(10);
        log.append(line);
        return log;
    }
}
