package dev.sparkgate.deploy;

import dev.sparkgate.testkit.OutsideTools;
import dev.sparkgate.testkit.Tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real command-line tools the checks run: kubectl (its built-in kustomize) and docker-compose. Without a tool the
 * check is skipped naming the Debian package that provides it, and listed at the end of the run; in CI, which
 * installs them, it fails instead (testkit's switch): these checks must not pass by not running.
 */
final class Tools {

    record Result(int exit, String out, String err) {
    }

    private Tools() {
    }

    static List<String> kubectl() {
        OutsideTools.KUBECTL.require();
        return List.of(Tool.onPath("kubectl").orElseThrow().toString());
    }

    /** Compose v1 ({@code docker-compose}, Debian's package), else the v2 plugin ({@code docker compose}). */
    static List<String> compose() {
        OutsideTools.COMPOSE.require();
        return OutsideTools.composeCommand().orElseThrow();
    }

    static Result run(List<String> command) {
        try {
            Path out = Files.createTempFile("sparkgate-tool", ".out");
            Path err = Files.createTempFile("sparkgate-tool", ".err");
            try {
                Process process = new ProcessBuilder(command).directory(Repository.root().toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs a command that must succeed, and returns what it printed. */
    static String output(List<String> command) {
        Result result = run(command);
        if (result.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + result.exit() + "):\n"
                    + result.err() + result.out());
        }
        return result.out();
    }

    static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
