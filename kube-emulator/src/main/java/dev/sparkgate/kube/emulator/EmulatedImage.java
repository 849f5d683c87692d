package dev.sparkgate.kube.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A container image as the emulation knows it: a reference, the facts it declares (its {@code image.properties}, such
 * as {@code spark.version} and {@code python.version}), for a declared image the directory holding it, and optionally a
 * file system ({@link #rootfs()}).
 *
 * <p>What an image lends a container: its {@code bin/} directory, first on the container's PATH; its properties as
 * environment variables, so that a fixture's {@code bin/spark-submit} can print the Spark version the image claims; and
 * its rootfs, under which the absolute paths a container names are looked up (see {@link ContainerPaths}). Executors
 * run on the built-in Spark runtime whatever the image says.
 */
public record EmulatedImage(String reference, Optional<Path> directory, Map<String, String> properties,
    Optional<Path> rootfs) {

  public static final String SPARK_VERSION = "spark.version";
  public static final String PYTHON_VERSION = "python.version";
  /**
   * {@code java.version}: the Java the image claims; with {@code java.home} (a path in its rootfs, as Spark's images
   * set {@code JAVA_HOME=/opt/java/openjdk}) its containers' {@code $JAVA_HOME/bin/java} is the image's, else the
   * emulated node's own JDK.
   */
  public static final String JAVA_VERSION = "java.version";
  public static final String JAVA_HOME = "java.home";
  /** {@code pullable=false} makes every pull of the image fail, as an image missing from its registry would. */
  public static final String PULLABLE = "pullable";
  /**
   * {@code rootfs=/abs/path} (or a path relative to the image's directory) names the image's file system; without it a
   * {@code rootfs/} directory beside {@code image.properties} is one.
   */
  public static final String ROOTFS = "rootfs";
  /** {@code spark.home=built-in}: the image's {@code SPARK_HOME} is the built-in runtime's (as undeclared images). */
  public static final String SPARK_HOME = "spark.home";
  public static final String BUILT_IN = "built-in";

  public EmulatedImage {
    properties = Map.copyOf(properties);
  }

  public EmulatedImage(String reference, Optional<Path> directory, Map<String, String> properties) {
    this(reference, directory, properties, rootfsOf(directory, properties));
  }

  private static Optional<Path> rootfsOf(Optional<Path> directory, Map<String, String> properties) {
    String declared = properties.get(ROOTFS);
    if (declared != null && !declared.isBlank()) {
      Path path = Path.of(declared.trim());
      return Optional.of(path.isAbsolute() ? path : directory.map(dir -> dir.resolve(path)).orElse(path.toAbsolutePath()));
    }
    return directory.map(dir -> dir.resolve("rootfs")).filter(Files::isDirectory);
  }

  /** Whether containers of this image get the built-in runtime's {@code SPARK_HOME}. */
  public boolean usesBuiltInSparkHome() {
    return directory.isEmpty() && rootfs.isEmpty() || BUILT_IN.equals(properties.get(SPARK_HOME));
  }

  /**
   * The image's own Spark jars, {@code <rootfs>/<spark.home>/jars} (as {@code apache/spark}'s {@code /opt/spark/jars}),
   * when it declares a {@code spark.home} of its own and its rootfs holds them: executors of this image run on them.
   */
  public Optional<Path> sparkJars() {
    String home = properties.get(SPARK_HOME);
    if (usesBuiltInSparkHome() || home == null || !home.strip().startsWith("/")) {
      return Optional.empty();
    }
    return rootfs.map(fs -> fs.resolve(home.strip().substring(1)).resolve("jars")).filter(Files::isDirectory);
  }

  public Optional<String> sparkVersion() {
    return Optional.ofNullable(properties.get(SPARK_VERSION));
  }

  public Optional<String> pythonVersion() {
    return Optional.ofNullable(properties.get(PYTHON_VERSION));
  }

  public Optional<String> javaVersion() {
    return Optional.ofNullable(properties.get(JAVA_VERSION));
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
   * {@code python.version} becomes {@code PYTHON_VERSION} (the name official Python images use too), {@code java.home}
   * {@code JAVA_HOME} (translated into the rootfs), which then replaces the node's.
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    properties.forEach((key, value) -> {
      if (!key.equals(PULLABLE) && !key.equals(ROOTFS) && !(key.equals(SPARK_HOME) && value.equals(BUILT_IN))) {
        env.put(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), value);
      }
    });
    return env;
  }
}
