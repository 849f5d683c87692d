package dev.sparkgate.gateway.versions;

import dev.sparkgate.protocol.VersionVerdict.ImageSide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's declared images, for clusters where probe pods are not wanted: a file of lines
 * {@code IMAGE spark=VERSION python=VERSION java=VERSION} ({@code python=none} for an image without Python; {@code java}
 * may be left out, and is then not compared; {@code #} comments).
 * A declared image is never probed.
 */
public final class ImageCatalog {

    private final Map<String, ImageSide> images;

    private ImageCatalog(Map<String, ImageSide> images) {
        this.images = images;
    }

    public static ImageCatalog empty() {
        return new ImageCatalog(Map.of());
    }

    public static ImageCatalog read(Path file) {
        Map<String, ImageSide> images = new HashMap<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                String text = line.replaceAll("#.*", "").trim();
                if (text.isEmpty()) {
                    continue;
                }
                String[] words = text.split("\\s+");
                Map<String, String> fields = new HashMap<>();
                for (int i = 1; i < words.length; i++) {
                    String[] pair = words[i].split("=", 2);
                    if (pair.length == 2) {
                        fields.put(pair[0], pair[1]);
                    }
                }
                if (!fields.containsKey("spark")) {
                    throw new IllegalArgumentException(file + " line " + number
                            + ": write 'IMAGE spark=3.5.6 python=3.11 java=17'");
                }
                images.put(words[0], new ImageSide(words[0], fields.get("spark"), fields.getOrDefault("python", "none"),
                        fields.get("java"), "catalog", null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the image catalog " + file, e);
        }
        return new ImageCatalog(images);
    }

    public Optional<ImageSide> find(String image) {
        return Optional.ofNullable(images.get(image));
    }
}
