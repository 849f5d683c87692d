package dev.sparkgate.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** deploy/Dockerfile (or another of deploy/'s Dockerfiles) as instructions: continuation lines joined, comments dropped. */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    /** The image per driver runtime beside deploy/Dockerfile's: Spark 4.1. */
    static final String SPARK41 = "deploy/Dockerfile.spark41";

    static Dockerfile read() {
        return read("deploy/Dockerfile");
    }

    static Dockerfile read(String path) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Repository.read(path).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String text = pending.toString().strip();
            pending.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
        }
        return new Dockerfile(instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    String from() {
        List<Instruction> from = all("FROM");
        if (from.size() != 1) {
            throw new AssertionError("expected one FROM, found " + from.size());
        }
        return from.get(0).arguments();
    }

    /** Every source of every COPY, as written (paths relative to the build context, the repository's root). */
    List<String> copySources() {
        List<String> sources = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            List<String> words = Arrays.stream(copy.arguments().split("\\s+"))
                    .filter(w -> !w.startsWith("--")).toList();
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    /** The ENV defaults, {@code KEY=value} pairs. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : all("ENV")) {
            for (String pair : instruction.arguments().split("\\s+")) {
                String[] kv = pair.split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }
}
