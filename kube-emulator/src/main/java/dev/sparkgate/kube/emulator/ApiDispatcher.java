package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The emulated API server's request routing: what a CRUD store cannot serve (access reviews, pod logs and the
 * discovery documents), then fabric8's fixed expectations (its root paths and {@code /version}), then the CRUD store
 * for the rest. It speaks JSON only: a protobuf body is refused with 415.
 */
final class ApiDispatcher extends Dispatcher {

  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  private static final Pattern POD_LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");

  private static final int HTTP_UNSUPPORTED_MEDIA_TYPE = 415;

  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expected;
  private final DefaultingCrudDispatcher store;
  private final AccessReviews accessReviews;
  private final ContainerLogs logs;
  private final ServiceAccountTokens tokens;
  private final RbacAuthorizer rbac;

  ApiDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations, DefaultingCrudDispatcher store,
      AccessReviews accessReviews, ContainerLogs logs, ServiceAccountTokens tokens) {
    this.expectations = expectations;
    this.expected = new MockDispatcher(expectations);
    this.store = store;
    this.accessReviews = accessReviews;
    this.logs = logs;
    this.tokens = tokens;
    this.rbac = new RbacAuthorizer(store);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    String path = request.getPath().split("\\?", 2)[0];
    String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("");
    if (contentType.contains("protobuf")) {
      // A real API server reads protobuf too; this one would fail to parse it and leave the client hanging.
      return status(HTTP_UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType",
          "the emulated API server reads JSON only, not " + contentType);
    }
    // Authentication: a service account's token is checked and its requests authorized by RBAC; any other
    // credential (the kubeconfig's admin token, or none) is the cluster's administrator, as before.
    Optional<ServiceAccountTokens.ServiceAccount> caller = Optional.empty();
    String authorization = Optional.ofNullable(request.getHeader("Authorization")).orElse("");
    if (authorization.startsWith("Bearer ")) {
      String token = authorization.substring("Bearer ".length()).trim();
      if (ServiceAccountTokens.looksLikeServiceAccountToken(token)) {
        caller = tokens.accountOf(token);
        if (caller.isEmpty()) {
          return status(HttpURLConnection.HTTP_UNAUTHORIZED, "Unauthorized",
              "Unauthorized: the service-account token is unknown or its pod is gone");
        }
      }
    }
    if (request.getMethod().equals("POST") && path.equals(ACCESS_REVIEWS)) {
      // Every authenticated user may ask what it may do.
      return new MockResponse().setResponseCode(HttpURLConnection.HTTP_CREATED)
          .setHeader("Content-Type", "application/json")
          .setBody(accessReviews.answer(request.getBody().readUtf8(), caller, rbac));
    }
    if (caller.isPresent()) {
      HttpUrl url = request.getRequestUrl();
      boolean watch = url != null && "true".equals(url.queryParameter("watch"));
      Optional<RequestAttributes> asked = RequestAttributes.of(request.getMethod(), path, watch);
      if (asked.isPresent() && !rbac.authorize(caller.get(), asked.get()).allowed()) {
        return forbidden(asked.get(), caller.get());
      }
    }
    Optional<String> discovery = Discovery.document(path);
    if (request.getMethod().equals("GET") && discovery.isPresent()) {
      return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK)
          .setHeader("Content-Type", "application/json")
          .setBody(discovery.get());
    }
    Matcher podLog = POD_LOG.matcher(path);
    if (request.getMethod().equals("GET") && podLog.matches()) {
      return podLog(podLog.group(1), podLog.group(2), request.getRequestUrl());
    }
    Queue<ServerResponse> queued =
        expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
    if (queued != null && !queued.isEmpty()) {
      return expected.dispatch(request);
    }
    return store.dispatch(request);
  }

  /** What {@code kubectl logs} gets: the container's output so far ({@code follow} is not streamed). */
  private MockResponse podLog(String namespace, String name, HttpUrl url) {
    Optional<OutputTail> log = logs.of(namespace, name, url == null ? null : url.queryParameter("container"));
    if (log.isPresent()) {
      String tailLines = url == null ? null : url.queryParameter("tailLines");
      if (tailLines != null && !tailLines.matches("\\d+")) {
        return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest", "tailLines must be a number: " + tailLines);
      }
      String text = tailLines == null ? log.get().text() : log.get().lastLines(Integer.parseInt(tailLines));
      return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK)
          .setHeader("Content-Type", "text/plain")
          .setBody(text);
    }
    Optional<Pod> pod = findPod(namespace, name);
    if (pod.isEmpty()) {
      return status(HttpURLConnection.HTTP_NOT_FOUND, "NotFound", "pods \"" + name + "\" not found");
    }
    return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest",
        "container in pod \"" + name + "\" is waiting to start: " + waitingReason(pod.get()));
  }

  private Optional<Pod> findPod(String namespace, String name) {
    var entry = store.findResource(store.getKey("/api/v1/namespaces/" + namespace + "/pods/" + name));
    return Optional.ofNullable(entry).map(e -> Serialization.unmarshal(e.getValue(), Pod.class));
  }

  private static String waitingReason(Pod pod) {
    return Optional.ofNullable(pod.getStatus()).stream()
        .flatMap(status -> status.getContainerStatuses().stream())
        .map(ContainerStatus::getState)
        .filter(state -> state != null && state.getWaiting() != null)
        .map(state -> state.getWaiting().getReason())
        .findFirst()
        .orElse("ContainerCreating");
  }

  /** Kubernetes' 403, in its Status format, naming the user, the verb and the resource. */
  private static MockResponse forbidden(RequestAttributes asked, ServiceAccountTokens.ServiceAccount caller) {
    return new MockResponse().setResponseCode(HttpURLConnection.HTTP_FORBIDDEN)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(new StatusBuilder()
            .withStatus("Failure").withCode(HttpURLConnection.HTTP_FORBIDDEN).withReason("Forbidden")
            .withMessage(asked.forbiddenMessage(caller.userName()))
            .withNewDetails().withName(asked.name()).withGroup(asked.apiGroup()).withKind(asked.resource())
            .endDetails()
            .build()));
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(new StatusBuilder()
            .withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build()));
  }
}
