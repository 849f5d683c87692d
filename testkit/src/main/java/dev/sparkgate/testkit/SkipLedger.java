package dev.sparkgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The skips of one Maven run across its modules, in {@code target/skipped-tests/<maven pid>.tsv} under the
 * repository's root: each module's test JVM appends its own and reads everyone's, so the module that runs last prints
 * the whole run's summary. A run is told apart by the Maven process that forked the test JVM (its nearest {@code java}
 * ancestor), so an earlier run's file never mixes in; files of Maven processes that have ended are deleted.
 */
final class SkipLedger {

    /** One line of the file: a module's tests that did not run for one reason. */
    record Entry(String module, String what, String detail, int tests) {
    }

    private final Path root;
    private final Path file;

    private SkipLedger(Path root, Path file) {
        this.root = root;
        this.file = file;
    }

    static SkipLedger ofThisMavenRun() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        // the outermost directory with an aggregating pom: session/ between root and session/driver has none
        Path root = module;
        for (Path dir = module.getParent(); dir != null; dir = dir.getParent()) {
            if (aggregates(dir.resolve("pom.xml"))) {
                root = dir;
            }
        }
        long maven = mavenProcess().pid();
        return new SkipLedger(root, root.resolve("target").resolve("skipped-tests").resolve(maven + ".tsv"));
    }

    /** The module being tested, as a path from the repository's root ({@code session/driver}). */
    String module() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        String relative = root.relativize(module).toString();
        return relative.isEmpty() ? module.getFileName().toString() : relative;
    }

    /** Adds this module's skips and returns the run's so far. */
    synchronized List<Entry> append(String module, List<SkippedTestsSummary.Skip> skips) {
        try {
            Files.createDirectories(file.getParent());
            deleteEndedRuns();
            StringBuilder lines = new StringBuilder();
            for (SkippedTestsSummary.Skip skip : skips) {
                lines.append(String.join("\t", module, clean(skip.reason().what()), clean(skip.reason().detail()),
                        Integer.toString(skip.tests()))).append('\n');
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t", -1);
                if (fields.length == 4) {
                    entries.add(new Entry(fields[0], fields[1], fields[2], Integer.parseInt(fields[3])));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record skipped tests in " + file, e);
        }
    }

    /** One line: how many tests this run skipped, for want of which tools in which modules, and the way to all. */
    String summary(List<Entry> run) {
        int tests = run.stream().mapToInt(Entry::tests).sum();
        Map<String, Set<String>> modulesByTool = new LinkedHashMap<>();
        int other = 0;
        for (Entry entry : run) {
            if (entry.what().equals("not run")) {
                other += entry.tests();
            } else {
                modulesByTool.computeIfAbsent(entry.what(), w -> new LinkedHashSet<>()).add(entry.module());
            }
        }
        List<String> tools = new ArrayList<>();
        modulesByTool.forEach((tool, modules) -> tools.add(tool + " (" + String.join(", ", modules) + ")"));
        String wanting = tools.isEmpty() ? "" : " for want of " + String.join("; ", tools);
        String rest = other == 0 ? "" : (tools.isEmpty() ? "" : ", and ") + other + " for their own reasons";
        return "this Maven run so far: " + tests + " test" + (tests == 1 ? "" : "s") + " skipped" + wanting + rest
                + (tools.isEmpty() ? "." : ". Install what the lines above name, or on Debian run bash .ci/run, which "
                + "installs every tool and runs everything.");
    }

    private void deleteEndedRuns() throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            for (Path other : files.toList()) {
                String name = other.getFileName().toString();
                if (other.equals(file) || !name.endsWith(".tsv")) {
                    continue;
                }
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(name.substring(0, name.length() - 4)))
                            .map(ProcessHandle::isAlive).orElse(false);
                } catch (NumberFormatException e) {
                    alive = false;
                }
                if (!alive) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    private static boolean aggregates(Path pom) {
        try {
            return Files.isRegularFile(pom) && Files.readString(pom, StandardCharsets.UTF_8).contains("<modules>");
        } catch (IOException e) {
            return false;
        }
    }

    /** Maven, which forks surefire's JVM through a shell: the nearest java ancestor; this JVM when run otherwise. */
    private static ProcessHandle mavenProcess() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        while (parent.isPresent()) {
            ProcessHandle process = parent.get();
            boolean java = process.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false);
            if (java) {
                return process;
            }
            parent = process.parent();
        }
        return ProcessHandle.current();
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ');
    }
}
