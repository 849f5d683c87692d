package dev.sparkgate.kube.emulator;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.lang.reflect.Field;
import java.util.concurrent.locks.ReadWriteLock;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A new watch's first listing, read under the store's read lock, as every other read of the store is.
 *
 * <p>fabric8's mock (6.7) guards its store with a read-write lock, but a watch lists what it already matches when its
 * WebSocket opens, after the request that asked for it has left the lock, and that listing reads the store without
 * it. A write in the same instant (a kubelet reporting a pod's status) then breaks the listing with a
 * {@code ConcurrentModificationException}: the mock logs "connection crashed" and the watch never hears of the pod
 * (seen in {@code SchedulingTest}: a watch on {@code late}, opened as the kubelet reported it unschedulable).
 */
final class WatchOpening extends WebSocketListener {

  private static final String FIELD = "lock";

  private final WebSocketListener watch;
  private final ReadWriteLock store;

  WatchOpening(WebSocketListener watch, ReadWriteLock store) {
    this.watch = watch;
    this.store = store;
  }

  /** The lock of {@code dispatcher}'s store; fails at start if this fabric8 has none by that name. */
  static ReadWriteLock storeLockOf(KubernetesCrudDispatcher dispatcher) {
    try {
      Field lock = KubernetesCrudDispatcher.class.getDeclaredField(FIELD);
      lock.setAccessible(true);
      return (ReadWriteLock) lock.get(dispatcher);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("This kubernetes-server-mock keeps no '" + FIELD + "' for its store; check "
          + "whether a watch's first listing still reads the store unlocked, and adapt WatchOpening", e);
    }
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    store.readLock().lock();
    try {
      watch.onOpen(webSocket, response);
    } finally {
      store.readLock().unlock();
    }
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    watch.onMessage(webSocket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    watch.onMessage(webSocket, bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    watch.onClosing(webSocket, code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    watch.onClosed(webSocket, code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
    watch.onFailure(webSocket, failure, response);
  }
}
