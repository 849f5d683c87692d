package dev.sparkgate.gateway.session;

import dev.sparkgate.gateway.driver.DriverLog;
import dev.sparkgate.gateway.metrics.GatewayMetrics;
import dev.sparkgate.gateway.errors.NameTaken;
import dev.sparkgate.gateway.errors.SessionNotFound;
import dev.sparkgate.protocol.Kind;
import dev.sparkgate.protocol.SessionSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions by id and by name: ids in order and never twice, a name for one session at a time. */
class SessionRegistryTest {

    private final SessionRegistry registry = new SessionRegistry();

    @Test
    void aSessionIsFoundByItsIdOrItsName() {
        Session named = session(registry.nextId(), "etl");
        Session unnamed = session(registry.nextId(), null);
        registry.add(named);
        registry.add(unnamed);

        assertThat(registry.get("0")).isSameAs(named);
        assertThat(registry.get("etl")).isSameAs(named);
        assertThat(registry.get("1")).isSameAs(unnamed);
        assertThat(registry.list()).containsExactly(named, unnamed);
        assertThatThrownBy(() -> registry.get("2")).isInstanceOf(SessionNotFound.class)
                .hasMessage("Session '2' not found.");
    }

    @Test
    void idsAreNeverHandedOutTwiceNotEvenAfterADelete() {
        Session first = session(registry.nextId(), null);
        registry.add(first);

        assertThat(registry.remove(first)).isTrue();
        assertThat(registry.remove(first)).as("a second delete finds nothing").isFalse();

        assertThat(registry.nextId()).isEqualTo(1);
        assertThat(registry.byId(0)).isEmpty();
    }

    @Test
    void aNameBelongsToOneSessionAtATime() {
        registry.add(session(registry.nextId(), "etl"));

        assertThatThrownBy(() -> registry.requireNameFree("etl")).isInstanceOf(NameTaken.class)
                .hasMessageContaining("'etl' exists already");
        assertThatThrownBy(() -> registry.add(session(registry.nextId(), "etl"))).isInstanceOf(NameTaken.class);
        assertThat(registry.list()).hasSize(1);
    }

    private static Session session(int id, String name) {
        SessionSpec spec = new SessionSpec(id, name, Kind.spark, null, Map.of(), 100,
                new SessionSpec.PythonSettings("python3", null, false));
        return new Session(spec, SessionRequest.of(Kind.spark), "secret", new DriverLog(10), new NotPlacedDriver(),
                new SessionTerms(Duration.ZERO, false), new GatewayMetrics());
    }
}
