package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pod's volumes, set up on the node as a kubelet sets them up before any container starts: each a directory in the
 * pod's sandbox ({@code volumes/<name>/}). An {@code emptyDir} starts empty; a {@code secret} or {@code configMap}
 * holds one file per key (or per listed {@code items}), with {@code defaultMode}/{@code mode} as file permissions. A
 * Secret or ConfigMap that does not exist (and is not {@code optional}) fails the mount, as {@code FailedMount} does:
 * the kubelet keeps the pod in {@code ContainerCreating} and tries again.
 *
 * <p>With {@code automountServiceAccountToken} not false (on the pod, else on its ServiceAccount), the pod also gets
 * its service account's {@code token}, {@code namespace} and {@code ca.crt} at
 * {@value #SERVICE_ACCOUNT_PATH}, the token issued by {@link ServiceAccountTokens} for this pod.
 */
final class PodVolumes {

  static final String SERVICE_ACCOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  static final String DEFAULT_SERVICE_ACCOUNT = "default";
  private static final int DEFAULT_MODE = 0644;
  /** The emulated API server's own certificate (fabric8's mock server's), standing in for the cluster's CA. */
  private static final String CA_CERTIFICATE = "ssl/fabric8.crt";

  /** A volume the kubelet cannot set up yet; the message reads like the kubelet's FailedMount event. */
  static final class MountFailed extends Exception {
    MountFailed(String message) {
      super(message);
    }
  }

  /** The set-up volumes: a directory per volume name, and the service account's, if mounted. */
  record Mounted(Map<String, Path> byName, Optional<Path> serviceAccount) {

    /** Where {@code container}'s paths live: its volume mounts, the service account's, the image's rootfs. */
    ContainerPaths pathsFor(Container container, EmulatedImage image) {
      List<ContainerPaths.Mount> mounts = new ArrayList<>();
      boolean ownServiceAccountMount = false;
      for (VolumeMount mount : container.getVolumeMounts()) {
        Path volume = byName.get(mount.getName());
        if (volume == null) {
          continue; // validated at mount time; a real API server rejects the pod
        }
        String subPath = mount.getSubPath();
        mounts.add(new ContainerPaths.Mount(mount.getMountPath(),
            subPath == null || subPath.isEmpty() ? volume : volume.resolve(subPath)));
        ownServiceAccountMount |= SERVICE_ACCOUNT_PATH.equals(mount.getMountPath());
      }
      if (serviceAccount.isPresent() && !ownServiceAccountMount) {
        mounts.add(new ContainerPaths.Mount(SERVICE_ACCOUNT_PATH, serviceAccount.get()));
      }
      return new ContainerPaths(mounts, image.rootfs());
    }
  }

  private PodVolumes() {}

  static String serviceAccountName(Pod pod) {
    String name = pod.getSpec().getServiceAccountName();
    return name == null || name.isEmpty() ? DEFAULT_SERVICE_ACCOUNT : name;
  }

  static Mounted mount(Pod pod, PodSandbox sandbox, KubernetesClient client, ServiceAccountTokens tokens)
      throws MountFailed {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, Path> byName = new LinkedHashMap<>();
    for (Volume volume : pod.getSpec().getVolumes()) {
      Path dir = sandbox.root().resolve("volumes").resolve(volume.getName());
      createDirectories(dir);
      if (volume.getSecret() != null) {
        var source = volume.getSecret();
        mountKeys(client, KeyedData.Kind.SECRET, namespace, source.getSecretName(), volume.getName(), dir,
            source.getItems(), source.getDefaultMode(), source.getOptional());
      } else if (volume.getConfigMap() != null) {
        var source = volume.getConfigMap();
        mountKeys(client, KeyedData.Kind.CONFIG_MAP, namespace, source.getName(), volume.getName(), dir,
            source.getItems(), source.getDefaultMode(), source.getOptional());
      } else if (volume.getEmptyDir() == null) {
        throw new MountFailed("MountVolume.SetUp failed for volume \"" + volume.getName()
            + "\" : the emulated kubelet mounts emptyDir, secret and configMap volumes only");
      }
      byName.put(volume.getName(), dir);
    }
    for (Container container : containers(pod)) {
      for (VolumeMount mount : container.getVolumeMounts()) {
        if (!byName.containsKey(mount.getName())) {
          throw new MountFailed("container \"" + container.getName() + "\" mounts volume \"" + mount.getName()
              + "\", which the pod does not declare");
        }
      }
    }
    return new Mounted(byName, serviceAccountMount(pod, sandbox, client, tokens));
  }

  private static Optional<Path> serviceAccountMount(Pod pod, PodSandbox sandbox, KubernetesClient client,
      ServiceAccountTokens tokens) {
    String namespace = pod.getMetadata().getNamespace();
    String name = serviceAccountName(pod);
    Boolean automount = pod.getSpec().getAutomountServiceAccountToken();
    if (automount == null) {
      ServiceAccount account = client.serviceAccounts().inNamespace(namespace).withName(name).get();
      automount = account == null ? null : account.getAutomountServiceAccountToken();
    }
    if (Boolean.FALSE.equals(automount)) {
      return Optional.empty();
    }
    Path dir = sandbox.root().resolve("serviceaccount");
    createDirectories(dir);
    String token = tokens.issue(new ServiceAccountTokens.ServiceAccount(namespace, name), pod.getMetadata().getUid());
    write(dir.resolve("token"), token.getBytes(StandardCharsets.UTF_8), DEFAULT_MODE);
    write(dir.resolve("namespace"), namespace.getBytes(StandardCharsets.UTF_8), DEFAULT_MODE);
    write(dir.resolve("ca.crt"), caCertificate(), DEFAULT_MODE);
    return Optional.of(dir);
  }

  /** A secret or configMap volume: a file per key (or listed item); a missing object fails unless optional. */
  private static void mountKeys(KubernetesClient client, KeyedData.Kind kind, String namespace, String name,
      String volume, Path dir, List<KeyToPath> items, Integer defaultMode, Boolean optional) throws MountFailed {
    Optional<KeyedData> read = KeyedData.read(client, kind, namespace, name);
    if (read.isEmpty() && !Boolean.TRUE.equals(optional)) {
      throw new MountFailed("MountVolume.SetUp failed for volume \"" + volume + "\" : "
          + KeyedData.notFound(kind, name));
    }
    Map<String, byte[]> data = read.map(KeyedData::keys).orElse(Map.of());
    int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
    if (items == null || items.isEmpty()) {
      for (Map.Entry<String, byte[]> entry : data.entrySet()) {
        write(dir.resolve(entry.getKey()), entry.getValue(), mode);
      }
      return;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (Boolean.TRUE.equals(optional)) {
          continue;
        }
        throw new MountFailed("MountVolume.SetUp failed for volume \"" + volume + "\" : "
            + read.map(found -> found.missingKey(item.getKey())).orElse(KeyedData.notFound(kind, name)));
      }
      Path file = dir.resolve(item.getPath()).normalize();
      if (!file.startsWith(dir)) {
        throw new MountFailed("MountVolume.SetUp failed: item path " + item.getPath() + " leaves the volume");
      }
      createDirectories(file.getParent());
      write(file, value, item.getMode() == null ? mode : item.getMode());
    }
  }

  private static List<Container> containers(Pod pod) {
    List<Container> all = new ArrayList<>(pod.getSpec().getInitContainers());
    all.addAll(pod.getSpec().getContainers());
    return all;
  }

  private static void write(Path file, byte[] content, int mode) {
    try {
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(file, permissions(0600));
      }
      Files.write(file, content);
      Files.setPosixFilePermissions(file, permissions(mode));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A Kubernetes file mode (an int, 0400 = 256) as POSIX permissions. */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(order[bit]);
      }
    }
    return permissions;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private static byte[] caCertificate() {
    try (InputStream in = PodVolumes.class.getClassLoader().getResourceAsStream(CA_CERTIFICATE)) {
      if (in == null) {
        throw new IllegalStateException(CA_CERTIFICATE + " is missing from the classpath (fabric8's mockwebserver)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CA_CERTIFICATE, e);
    }
  }
}
