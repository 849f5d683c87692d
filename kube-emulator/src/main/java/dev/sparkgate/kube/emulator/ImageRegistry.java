package dev.sparkgate.kube.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolves image references to {@link EmulatedImage}s, as a node's container runtime pulls images.
 *
 * <p>Declared images live under a root directory, one directory per image at {@code <root>/<name>/<tag>/}, holding an
 * {@code image.properties} and optionally a {@code bin/}: {@code sparkgate/spark-py:3.5.6} is
 * {@code <root>/sparkgate/spark-py/3.5.6/}, and a reference without a tag means {@code :latest}.
 *
 * <p>An undeclared reference resolves to the built-in runtime (this JVM's Spark) unless the registry is strict, when
 * it fails to pull, as an unknown image does on a real cluster. A declared image with {@code pullable=false} always
 * fails to pull.
 */
public final class ImageRegistry {

  /** What a pull gives: the image, or the reason the kubelet reports in {@code ErrImagePull}. */
  public sealed interface Pull {
    record Pulled(EmulatedImage image) implements Pull {}

    record Failed(String message) implements Pull {}
  }

  private static final String IMAGE_PROPERTIES = "image.properties";

  private final Optional<Path> root;
  private final boolean strict;
  private final Map<String, EmulatedImage> added;

  private ImageRegistry(Optional<Path> root, boolean strict, Map<String, EmulatedImage> added) {
    this.root = root.map(Path::toAbsolutePath);
    this.strict = strict;
    this.added = Map.copyOf(added);
  }

  /** Every image reference runs on the built-in Spark runtime. */
  public static ImageRegistry builtInOnly() {
    return new ImageRegistry(Optional.empty(), false, Map.of());
  }

  /** Images declared under {@code root}; any other reference runs on the built-in Spark runtime. */
  public static ImageRegistry declaredIn(Path root) {
    return new ImageRegistry(Optional.of(root), false, Map.of());
  }

  /** The same declared images, but an undeclared reference fails to pull instead of using the built-in runtime. */
  public ImageRegistry strict() {
    return new ImageRegistry(root, true, added);
  }

  /**
   * The same registry plus one image declared in code, whose file system is {@code rootfs} (an existing local
   * directory, used in place: nothing is copied). Its properties are as an {@code image.properties} would give them.
   * For tests that make, say, the Sparkgate image resolve to a locally built runtime.
   */
  public ImageRegistry withImage(String reference, Path rootfs, Map<String, String> properties) {
    Map<String, EmulatedImage> images = new HashMap<>(added);
    images.put(reference, new EmulatedImage(reference, Optional.empty(), properties,
        Optional.of(rootfs.toAbsolutePath())));
    return new ImageRegistry(root, strict, images);
  }

  public Optional<Path> root() {
    return root;
  }

  public boolean isStrict() {
    return strict;
  }

  public Pull pull(String reference) {
    Optional<EmulatedImage> declared = find(reference);
    if (declared.isPresent()) {
      EmulatedImage image = declared.get();
      return image.pullable()
          ? new Pull.Pulled(image)
          : new Pull.Failed("Failed to pull image \"" + reference + "\": the emulated image is declared unpullable ("
              + EmulatedImage.PULLABLE + "=false in "
              + image.directory().map(dir -> dir.resolve(IMAGE_PROPERTIES).toString()).orElse("its declaration") + ")");
    }
    if (strict) {
      return new Pull.Failed("Failed to pull image \"" + reference + "\": not found in the emulated registry "
          + root.map(Path::toString).orElse("(no image directory)"));
    }
    return new Pull.Pulled(builtIn(reference));
  }

  /** The declared image for a reference, if there is one. */
  public Optional<EmulatedImage> find(String reference) {
    if (added.containsKey(reference)) {
      return Optional.of(added.get(reference));
    }
    return root.flatMap(dir -> directoryOf(dir, reference))
        .filter(dir -> Files.isRegularFile(dir.resolve(IMAGE_PROPERTIES)))
        .map(dir -> new EmulatedImage(reference, Optional.of(dir), readProperties(dir.resolve(IMAGE_PROPERTIES))));
  }

  /** The built-in runtime under any name: it carries the Spark version of the jars on this JVM's classpath. */
  public static EmulatedImage builtIn(String reference) {
    Map<String, String> properties = new HashMap<>();
    builtInSparkVersion().ifPresent(version -> properties.put(EmulatedImage.SPARK_VERSION, version));
    return new EmulatedImage(reference, Optional.empty(), properties);
  }

  /** Spark records its version in {@code spark-version-info.properties} inside spark-core: read it as Spark does. */
  static Optional<String> builtInSparkVersion() {
    try (InputStream in = ImageRegistry.class.getClassLoader().getResourceAsStream("spark-version-info.properties")) {
      if (in == null) {
        return Optional.empty();
      }
      Properties info = new Properties();
      info.load(in);
      return Optional.ofNullable(info.getProperty("version"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code name:tag} → {@code root/name/tag}; a digest ({@code @sha256:...}) is a tag of its own. */
  static Optional<Path> directoryOf(Path root, String reference) {
    String name = reference;
    String tag = "latest";
    int at = reference.indexOf('@');
    int colon = reference.lastIndexOf(':');
    if (at >= 0) {
      name = reference.substring(0, at);
      tag = reference.substring(at + 1).replace(':', '-');
    } else if (colon > reference.lastIndexOf('/')) {
      name = reference.substring(0, colon);
      tag = reference.substring(colon + 1);
    }
    if (name.isEmpty() || tag.isEmpty()) {
      return Optional.empty();
    }
    Path dir = root.resolve(name).resolve(tag).normalize();
    // A reference is a name, never a way out of the image root.
    return dir.startsWith(root) ? Optional.of(dir) : Optional.empty();
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key).trim()));
    return map;
  }
}
