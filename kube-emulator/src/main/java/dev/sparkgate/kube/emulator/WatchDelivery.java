package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.lang.reflect.Field;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's open watches, each sent a change on its own, as a real API server sends them.
 *
 * <p>fabric8's mock (6.7) keeps its watches in a set and sends a change to each in turn. A watch whose client has
 * closed it shuts its sender down before it leaves the set, and a change sent in that window throws
 * {@code RejectedExecutionException}. The mock then stops: every later watch misses the event for good (an informer
 * waiting on that pod never sees it) and the write that caused it fails with a crashed connection, although it was
 * stored. This set catches that per watch and drops the closing one; the others get the event.
 */
final class WatchDelivery extends CopyOnWriteArraySet<Object> {

  private static final Logger log = LoggerFactory.getLogger(WatchDelivery.class);
  private static final String FIELD = "watchEventListeners";

  /** Puts a WatchDelivery in place of the mock's own set; fails at start if this fabric8 has no such set. */
  static void installIn(KubernetesCrudDispatcher dispatcher) {
    try {
      Field watches = KubernetesCrudDispatcher.class.getDeclaredField(FIELD);
      watches.setAccessible(true);
      watches.set(dispatcher, new WatchDelivery());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("This kubernetes-server-mock keeps no '" + FIELD + "' set for WatchDelivery to "
          + "replace; check whether its watches still stop at a closing one, and adapt WatchDelivery", e);
    }
  }

  @Override
  public void forEach(Consumer<? super Object> send) {
    for (Object watch : this) {
      try {
        send.accept(watch);
      } catch (RejectedExecutionException closing) {
        log.debug("Dropping a watch that is closing: {}", closing.toString());
        remove(watch);
      }
    }
  }
}
