package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * okhttp's MockWebServer keeps every request it served, for tests to inspect; an emulator that runs for hours must
 * not. This drains that record as it fills, logging each request at DEBUG (one line: method and path).
 */
final class RequestLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

  private final Thread drain;

  RequestLog(KubernetesMockServer server) {
    drain = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          RecordedRequest request = server.takeRequest();
          log.debug("{} {}", request.getMethod(), request.getPath());
        }
      } catch (InterruptedException e) {
        // closed
      }
    }, "api-server-request-log");
    drain.setDaemon(true);
    drain.start();
  }

  @Override
  public void close() {
    drain.interrupt();
  }
}
