package dev.sparkgate.kube.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A container image as the emulation knows it: a reference, the facts it declares (its {@code image.properties}, such
 * as {@code spark.version} and {@code python.version}) and, for a declared image, the directory holding it.
 *
 * <p>An emulated image has no file system of its own. What it lends a container is its {@code bin/} directory, first on
 * the container's PATH, and its properties as environment variables, so that a fixture's {@code bin/spark-submit} can
 * print the Spark version the image claims. Executors run on the built-in Spark runtime whatever the image says.
 */
public record EmulatedImage(String reference, Optional<Path> directory, Map<String, String> properties) {

  public static final String SPARK_VERSION = "spark.version";
  public static final String PYTHON_VERSION = "python.version";
  /** {@code pullable=false} makes every pull of the image fail, as an image missing from its registry would. */
  public static final String PULLABLE = "pullable";

  public EmulatedImage {
    properties = Map.copyOf(properties);
  }

  public Optional<String> sparkVersion() {
    return Optional.ofNullable(properties.get(SPARK_VERSION));
  }

  public Optional<String> pythonVersion() {
    return Optional.ofNullable(properties.get(PYTHON_VERSION));
  }

  public boolean pullable() {
    return !"false".equalsIgnoreCase(properties.getOrDefault(PULLABLE, "true").trim());
  }

  /** The image's {@code bin/} directory, put first on the PATH of its containers. */
  public Optional<Path> bin() {
    return directory.map(dir -> dir.resolve("bin")).filter(Files::isDirectory);
  }

  /**
   * The image's properties as a container sees them: {@code spark.version} becomes {@code SPARK_VERSION},
   * {@code python.version} becomes {@code PYTHON_VERSION} (the name official Python images use too).
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    properties.forEach((key, value) -> {
      if (!key.equals(PULLABLE)) {
        env.put(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), value);
      }
    });
    return env;
  }
}
