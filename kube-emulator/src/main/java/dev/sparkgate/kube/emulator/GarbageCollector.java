package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' garbage collector, background propagation: an object whose {@code ownerReferences} all name objects
 * that no longer exist (by uid) is deleted, through the API like any client's delete, so a pod still goes through
 * the kubelet's graceful stop (SIGTERM, grace, finalizer). Dependents of dependents go the same way in turn.
 *
 * <p>It collects pods, secrets, config maps, services and persistent volume claims (what Sparkgate's sessions and
 * Spark make); an owner may be of any kind. A pass runs whenever the API server removes an object or stores a new one
 * with owner references, so collection follows a deletion within a few hundred milliseconds. It lists the dependents
 * before the owners, so an owner created between the two lists is never missed.
 */
final class GarbageCollector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

  private final KubernetesClient client;
  private final Semaphore changed = new Semaphore(0);
  private final Thread thread;
  private volatile boolean closed;

  GarbageCollector(KubernetesClient client) {
    this.client = client;
    this.thread = new Thread(this::run, "garbage-collector");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Something was removed, or created with owners: a pass is due. */
  void poke() {
    changed.release();
  }

  private void run() {
    while (!closed) {
      try {
        if (!changed.tryAcquire(1, TimeUnit.SECONDS)) {
          continue;
        }
        changed.drainPermits();
        collect();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("Garbage collection pass failed: {}", e.toString());
        }
      }
    }
  }

  private void collect() {
    List<HasMetadata> dependents = all().stream()
        .filter(object -> !object.getMetadata().getOwnerReferences().isEmpty())
        .filter(object -> object.getMetadata().getDeletionTimestamp() == null)
        .toList();
    if (dependents.isEmpty()) {
      return;
    }
    Set<String> uids = new HashSet<>();
    all().forEach(object -> uids.add(object.getMetadata().getUid()));
    for (HasMetadata dependent : dependents) {
      if (dependent.getMetadata().getOwnerReferences().stream().noneMatch(owner -> exists(owner, dependent, uids))) {
        log.info("Collecting {} {}/{}: its owner {} is gone", dependent.getKind(),
            dependent.getMetadata().getNamespace(), dependent.getMetadata().getName(),
            describe(dependent.getMetadata().getOwnerReferences()));
        try {
          client.resource(dependent).inNamespace(dependent.getMetadata().getNamespace()).delete();
        } catch (KubernetesClientException e) {
          log.warn("Could not collect {} {}: {}", dependent.getKind(), dependent.getMetadata().getName(),
              e.getMessage());
        }
      }
    }
  }

  /** An owner of a collected kind exists if its uid does; any other kind is looked up by name. */
  private boolean exists(OwnerReference owner, HasMetadata dependent, Set<String> uids) {
    if (uids.contains(owner.getUid())) {
      return true;
    }
    if (List.of("Pod", "Secret", "ConfigMap", "Service", "PersistentVolumeClaim").contains(owner.getKind())
        && "v1".equals(owner.getApiVersion())) {
      return false;
    }
    GenericKubernetesResource found = client.genericKubernetesResources(owner.getApiVersion(), owner.getKind())
        .inNamespace(dependent.getMetadata().getNamespace()).withName(owner.getName()).get();
    return found != null && owner.getUid().equals(found.getMetadata().getUid());
  }

  private List<HasMetadata> all() {
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(client.pods().inAnyNamespace().list().getItems());
    objects.addAll(client.secrets().inAnyNamespace().list().getItems());
    objects.addAll(client.configMaps().inAnyNamespace().list().getItems());
    objects.addAll(client.services().inAnyNamespace().list().getItems());
    objects.addAll(client.persistentVolumeClaims().inAnyNamespace().list().getItems());
    return objects;
  }

  private static String describe(List<OwnerReference> owners) {
    return owners.stream().map(owner -> owner.getKind() + " " + owner.getName() + " (uid " + owner.getUid() + ")")
        .toList().toString();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
