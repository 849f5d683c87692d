package dev.sparkgate.gateway.identity;

import dev.sparkgate.gateway.testing.MovableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's sign-ins as kept in the work directory: a new gateway's {@link BrowserSignIns} finds the sign-ins a
 * previous one started, as long as they live; expired ones end, before and after a restart, and their records go;
 * a record that cannot be read is dropped without taking the others with it.
 */
class BrowserSignInsTest {

    private static final User ALICE = new User("alice", Set.of("team-a"), false, "users-file");

    @TempDir
    Path dir;

    @Test
    void aSignInIsFoundByTheNextGatewayUntilItsLifetimeEnds() {
        MovableClock clock = new MovableClock(Instant.now());
        BrowserSignIns.SignIn signIn = new BrowserSignIns(clock, dir).start(ALICE);

        BrowserSignIns restarted = new BrowserSignIns(clock, dir);

        assertThat(restarted.find(signIn.id())).hasValueSatisfying(found -> {
            assertThat(found.user()).isEqualTo(ALICE);
            assertThat(found.csrfToken()).isEqualTo(signIn.csrfToken());
        });
        clock.advance(BrowserSignIns.LIFETIME.plusMinutes(1));
        assertThat(restarted.find(signIn.id())).as("past its lifetime").isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void expiredSignInsAreNotLoadedAndTheirRecordsGo() {
        MovableClock clock = new MovableClock(Instant.now());
        BrowserSignIns.SignIn signIn = new BrowserSignIns(clock, dir).start(ALICE);
        clock.advance(BrowserSignIns.LIFETIME.plusMinutes(1));

        BrowserSignIns restarted = new BrowserSignIns(clock, dir);

        assertThat(restarted.find(signIn.id())).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void anUnreadableRecordIsDroppedAndTheOthersStay() throws IOException {
        MovableClock clock = new MovableClock(Instant.now());
        BrowserSignIns.SignIn signIn = new BrowserSignIns(clock, dir).start(ALICE);
        Path broken = Files.writeString(dir.resolve("0000.json"), "{not json");

        BrowserSignIns restarted = new BrowserSignIns(clock, dir);

        assertThat(restarted.find(signIn.id())).isPresent();
        assertThat(broken).doesNotExist();
    }

    @Test
    void signingOutEndsTheSignInForTheNextGatewayToo() {
        MovableClock clock = new MovableClock(Instant.now());
        BrowserSignIns signIns = new BrowserSignIns(clock, dir);
        BrowserSignIns.SignIn signIn = signIns.start(ALICE);

        signIns.end(signIn.id());

        assertThat(new BrowserSignIns(clock, dir).find(signIn.id())).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }
}
