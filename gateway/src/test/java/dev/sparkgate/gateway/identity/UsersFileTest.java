package dev.sparkgate.gateway.identity;

import dev.sparkgate.testkit.OutsideTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The users file: htpasswd's BCrypt lines plus groups; a token as Basic's password or alone as a bearer token; read
 * again when it changes, and kept as it was when a change does not parse.
 */
class UsersFileTest {

    @TempDir
    Path dir;

    /** A users-file line, hashed at BCrypt's lowest cost so the test is quick (operators use htpasswd's). */
    static String line(String name, String token, String groups) {
        return name + ":" + BCrypt.hashpw(token, BCrypt.gensalt(4)) + (groups == null ? "" : ":" + groups);
    }

    @Test
    void aUsersTokenAsBasicPasswordOrBearerNamesThemWithTheirGroups() throws IOException {
        UsersFile users = new UsersFile(write(line("alice", "alice-token", "team-a, analysts"),
                line("bob", "bob-token", null)));

        User basic = accepted(users.authenticate(basic("alice", "alice-token")));
        User bearer = accepted(users.authenticate(bearer("bob-token")));

        assertThat(basic.name()).isEqualTo("alice");
        assertThat(basic.groups()).containsExactlyInAnyOrder("team-a", "analysts");
        assertThat(bearer.name()).isEqualTo("bob");
        assertThat(bearer.admin()).isFalse();
    }

    @Test
    void anotherUsersTokenOrAWrongOneIsNotAccepted() throws IOException {
        UsersFile users = new UsersFile(write(line("alice", "alice-token", null), line("bob", "bob-token", null)));

        assertThat(users.authenticate(basic("alice", "bob-token")))
                .isEqualTo(new Authenticator.Verdict.Refused("the token is not alice's (users file)"));
        assertThat(users.authenticate(bearer("nobody's"))).isInstanceOf(Authenticator.Verdict.Pass.class);
        assertThat(users.authenticate(bearer("x".repeat(200)))).as("longer than BCrypt reads")
                .isInstanceOf(Authenticator.Verdict.Pass.class);
        assertThat(users.authenticate(basic("mallory", "alice-token"))).isInstanceOf(Authenticator.Verdict.Pass.class);
    }

    @Test
    void htpasswdsOwnLinesAreReadAsTheyAre() throws Exception {
        String written = htpasswd("carol", "carol-token");

        UsersFile users = new UsersFile(write("# the team", "", written + ":team-c"));

        assertThat(written).startsWith("carol:$2y$");
        assertThat(accepted(users.authenticate(basic("carol", "carol-token"))).groups()).containsExactly("team-c");
    }

    /** What {@code htpasswd -nbB -C 4 NAME TOKEN} prints: the line an operator puts in the file. */
    static String htpasswd(String name, String token) throws IOException, InterruptedException {
        OutsideTools.HTPASSWD.require();
        Process process = new ProcessBuilder("htpasswd", "-nbB", "-C", "4", name, token).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as("htpasswd: %s", out).isZero();
        return out;
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenChangeKeepsTheUsersAsTheyWere() throws Exception {
        Path file = write(line("alice", "alice-token", null));
        UsersFile users = new UsersFile(file);
        assertThat(accepted(users.authenticate(bearer("alice-token"))).name()).isEqualTo("alice");

        Files.write(file, List.of(line("dave", "dave-token", "team-b")));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1100);

        assertThat(accepted(users.authenticate(bearer("dave-token"))).groups()).containsExactly("team-b");
        assertThat(users.authenticate(bearer("alice-token"))).as("removed from the file")
                .isInstanceOf(Authenticator.Verdict.Pass.class);

        Files.write(file, List.of("dave has no hash here"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        Thread.sleep(1100);

        assertThat(accepted(users.authenticate(bearer("dave-token"))).name()).as("the last good file").isEqualTo("dave");
    }

    @Test
    void aFileThatDoesNotParseAtStartStopsTheGatewayWithTheFix() throws IOException {
        Path file = write("alice:plaintext-token");

        assertThatThrownBy(() -> new UsersFile(file)).hasMessageContaining("htpasswd -nbB");
        assertThatThrownBy(() -> UsersFile.parse(List.of("alice:plaintext-token"))).hasMessageContaining("line 1");
    }

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("users");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static User accepted(Authenticator.Verdict verdict) {
        assertThat(verdict).isInstanceOf(Authenticator.Verdict.Accepted.class);
        return ((Authenticator.Verdict.Accepted) verdict).user();
    }

    static Credentials basic(String user, String token) {
        return Credentials.parse("Basic " + Base64.getEncoder().encodeToString((user + ":" + token)
                .getBytes(StandardCharsets.UTF_8)), null, "127.0.0.1", name -> null);
    }

    static Credentials bearer(String token) {
        return Credentials.parse("Bearer " + token, null, "127.0.0.1", name -> null);
    }
}
