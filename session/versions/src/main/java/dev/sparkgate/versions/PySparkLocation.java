package dev.sparkgate.versions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PySpark's Python side inside a Spark home: the {@code pyspark} package under {@code python/} (or
 * {@code python/lib/pyspark.zip}) and Py4J's {@code python/lib/py4j-*-src.zip}. Both go on the session
 * Python's {@code PYTHONPATH}; {@code problem} says why not when the home lacks them.
 */
record PySparkLocation(List<String> pythonPath, String problem) {

    static PySparkLocation inSparkHome(String sparkHome) {
        if (sparkHome == null || sparkHome.isBlank()) {
            return missing("no Spark home is configured");
        }
        Path python = Path.of(sparkHome, "python");
        Path lib = python.resolve("lib");
        String pyspark;
        if (Files.isDirectory(python.resolve("pyspark"))) {
            pyspark = python.toString();
        } else if (Files.isRegularFile(lib.resolve("pyspark.zip"))) {
            pyspark = lib.resolve("pyspark.zip").toString();
        } else {
            return missing("the Spark home " + sparkHome + " has no python/pyspark");
        }
        Optional<Path> py4j = newestPy4jZip(lib);
        if (py4j.isEmpty()) {
            return missing("the Spark home " + sparkHome + " has no python/lib/py4j-*-src.zip");
        }
        return new PySparkLocation(List.of(pyspark, py4j.get().toString()), null);
    }

    private static PySparkLocation missing(String problem) {
        return new PySparkLocation(List.of(), problem);
    }

    private static Optional<Path> newestPy4jZip(Path lib) {
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith("py4j-") && name.endsWith("-src.zip");
            }).max(Comparator.comparing(f -> f.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
