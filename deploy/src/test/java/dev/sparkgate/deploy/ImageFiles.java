package dev.sparkgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files the image copies, as this module's build lays them out from the gateway's distribution artifact
 * ({@code sparkgate-gateway-*-dist.zip}: the runnable jar, and the driver runtime in {@code driver/}).
 */
final class ImageFiles {

    /** Where they are, relative to the repository's root (the build context of deploy/Dockerfile). */
    static final String DIRECTORY = "deploy/target/image/";

    private ImageFiles() {
    }

    /** The distribution artifact the build resolved, as the build names it to the tests. */
    static Path distribution() {
        String path = System.getProperty("sparkgate.gateway.dist");
        if (path == null || path.startsWith("${")) {
            throw new AssertionError("the build names the gateway's distribution in the system property "
                    + "sparkgate.gateway.dist: run these checks through Maven, 'mvn verify -pl deploy -am'");
        }
        return Path.of(path);
    }

    /** The paths of the distribution's files, as they are inside it ({@code driver/lib/...}). */
    static List<String> distributionFiles() {
        try (ZipFile zip = new ZipFile(distribution().toFile())) {
            return zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of one file of the distribution. */
    static byte[] distributionFile(String path) {
        try (ZipFile zip = new ZipFile(distribution().toFile())) {
            ZipEntry entry = zip.getEntry(path);
            if (entry == null) {
                throw new AssertionError(path + " is not in " + distribution());
            }
            return zip.getInputStream(entry).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file the image copies, read from the laid-out directory. */
    static byte[] read(String pathInDistribution) {
        try {
            return Files.readAllBytes(Repository.path(DIRECTORY + pathInDistribution));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
