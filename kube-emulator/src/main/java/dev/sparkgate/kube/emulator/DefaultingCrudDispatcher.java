package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * fabric8's CRUD store, plus the defaults a real API server gives a new pod: {@code status.phase} is {@code Pending}
 * (which Spark cannot live without), and {@code spec.serviceAccountName} is {@code default} unless it names one (as
 * the ServiceAccount admission plugin sets it).
 *
 * <p>The CRUD mock stores a pod exactly as posted, without a phase, and Spark's pod snapshot code throws on that in
 * its watch thread and drops the event. The default is applied where the mock records a new object, so the stored
 * pod, the watch event and the create response all carry it.
 */
final class DefaultingCrudDispatcher extends KubernetesCrudDispatcher {

  private volatile Runnable onOwnershipChange = () -> {};
  private final ReadWriteLock store;

  DefaultingCrudDispatcher() {
    WatchDelivery.installIn(this);
    store = WatchOpening.storeLockOf(this);
  }

  /** A watch, whose first listing reads the store under its lock ({@link WatchOpening}). */
  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener watch = response.getWebSocketListener();
    return watch == null ? response : response.withWebSocketUpgrade(new WatchOpening(watch, store));
  }

  /** Called when an object is removed, or stored new with owner references: the garbage collector's cue. */
  void onOwnershipChange(Runnable listener) {
    this.onOwnershipChange = listener;
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    MockResponse response = super.handleCreate(request);
    if (statusCode(response) == HttpURLConnection.HTTP_CREATED && response.getBody() != null) {
      GenericKubernetesResource created =
          Serialization.unmarshal(response.getBody().readUtf8(), GenericKubernetesResource.class);
      defaultPod(created);
      response.setBody(Serialization.asJson(created));
    }
    return response;
  }

  /** Called by the mock for every change it records; a create is the one without an old object. */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    if (oldAttributes == null && resource != null && defaultPod(resource)) {
      newState = Serialization.asJson(resource);
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    boolean removed = newState == null;
    boolean ownedAtBirth = oldAttributes == null && resource != null && resource.getMetadata() != null
        && !resource.getMetadata().getOwnerReferences().isEmpty();
    if (removed || ownedAtBirth) {
      onOwnershipChange.run();
    }
  }

  /** okhttp 3's MockResponse keeps only the status line ("HTTP/1.1 201 OK"). */
  static int statusCode(MockResponse response) {
    String[] statusLine = response.getStatus().split(" ", 3);
    return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
  }

  /** Sets {@code status.phase=Pending} on a pod that has no phase, and its service account; true if it changed. */
  @SuppressWarnings("unchecked")
  private static boolean defaultPod(GenericKubernetesResource resource) {
    if (!"Pod".equals(resource.getKind())) {
      return false;
    }
    boolean changed = false;
    Object spec = resource.getAdditionalProperties().get("spec");
    if (spec instanceof Map && ((Map<String, Object>) spec).get("serviceAccountName") == null) {
      Map<String, Object> podSpec = new LinkedHashMap<>((Map<String, Object>) spec);
      podSpec.put("serviceAccountName", PodVolumes.DEFAULT_SERVICE_ACCOUNT);
      resource.getAdditionalProperties().put("spec", podSpec);
      changed = true;
    }
    Object status = resource.getAdditionalProperties().get("status");
    Map<String, Object> podStatus =
        status instanceof Map ? new LinkedHashMap<>((Map<String, Object>) status) : new LinkedHashMap<>();
    if (podStatus.get("phase") != null) {
      return changed;
    }
    podStatus.put("phase", "Pending");
    resource.getAdditionalProperties().put("status", podStatus);
    return true;
  }
}
