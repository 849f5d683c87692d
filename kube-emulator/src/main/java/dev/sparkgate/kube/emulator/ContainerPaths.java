package dev.sparkgate.kube.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the absolute paths a container names live on the emulated node. A container here is a local process with no
 * mount namespace of its own, so it cannot see {@code /runtime} or {@code /opt/spark} as a real one would. Instead the
 * kubelet rewrites the paths in what it hands the process (command, args, env values, working directory): a path under
 * a volume's {@code mountPath} becomes the same path under that volume's directory in the pod's sandbox, and any other
 * absolute path that exists in the image's file system (its rootfs) becomes that file. Paths the process builds or
 * reads from files at run time are not rewritten: that is the honest limit of the emulation.
 *
 * <p>A path is recognised where one can start in a shell word, a {@code KEY=value}, a {@code a:b} list or a quoted
 * string: at the start of the text or after a space, {@code =}, {@code :}, {@code ,}, a quote, a backquote or
 * {@code (}; it ends before any of those or a shell operator ({@code ; & | < >}).
 */
final class ContainerPaths {

  /** One volume mount: the container's path, and the node directory that holds it. */
  record Mount(String containerPath, Path hostPath) {
    Mount {
      containerPath = containerPath.length() > 1 && containerPath.endsWith("/")
          ? containerPath.substring(0, containerPath.length() - 1)
          : containerPath;
    }

    Optional<String> translate(String path) {
      if (path.equals(containerPath)) {
        return Optional.of(hostPath.toString());
      }
      if (path.startsWith(containerPath + "/")) {
        return Optional.of(hostPath + path.substring(containerPath.length()));
      }
      return Optional.empty();
    }
  }

  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![^\\s=:,'\"(`])/[^\\s=:,'\"()`;&|<>]*");

  private final List<Mount> mounts;
  private final Optional<Path> rootfs;

  ContainerPaths(List<Mount> mounts, Optional<Path> rootfs) {
    // The deepest mount wins, as a mount over a mount shadows it.
    this.mounts = mounts.stream().filter(mount -> !mount.containerPath().equals("/"))
        .sorted(Comparator.comparingInt((Mount mount) -> mount.containerPath().length()).reversed())
        .toList();
    this.rootfs = rootfs;
  }

  static ContainerPaths none() {
    return new ContainerPaths(List.of(), Optional.empty());
  }

  /** The text with every absolute container path in it replaced by the node's path for it. */
  String translate(String text) {
    if (text == null || text.indexOf('/') < 0) {
      return text;
    }
    Matcher matcher = ABSOLUTE_PATH.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(translatePath(matcher.group())));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  List<String> translate(List<String> texts) {
    return texts.stream().map(this::translate).toList();
  }

  /** One absolute path: its mount, else the image's file if it has one there, else unchanged. */
  String translatePath(String path) {
    for (Mount mount : mounts) {
      Optional<String> translated = mount.translate(path);
      if (translated.isPresent()) {
        return translated.get();
      }
    }
    if (rootfs.isPresent() && path.length() > 1) {
      Path inImage = rootfs.get().resolve(path.substring(1));
      // A glob (/opt/spark/jars/*) names files in a directory that exists.
      Path mustExist = path.endsWith("/*") ? inImage.getParent() : inImage;
      if (Files.exists(mustExist)) {
        return rootfs.get() + path;
      }
    }
    return path;
  }
}
