package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;

/** A watch lists what it matches under the store's read lock, so no write can change the store meanwhile. */
class WatchOpeningTest {

  @Test
  void aWatchListsWhatItMatchesWhileHoldingTheStoresReadLockSoNoWriteRunsMeanwhile() {
    // given a watch that notes, as it lists, whether a write could take the store now
    ReentrantReadWriteLock store = new ReentrantReadWriteLock();
    List<String> seen = new ArrayList<>();
    WebSocketListener watch = new WebSocketListener() {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        seen.add("read holds " + store.getReadHoldCount() + ", write lockable " + writeLockable(store));
      }
    };

    // when its WebSocket opens
    new WatchOpening(watch, store).onOpen(null, null);

    // then it listed holding the read lock, and let it go after
    assertThat(seen).containsExactly("read holds 1, write lockable false");
    assertThat(store.getReadLockCount()).isZero();
  }

  @Test
  void theEmulatedApiServerOpensItsWatchesThroughIt() {
    DefaultingCrudDispatcher dispatcher = new DefaultingCrudDispatcher();

    assertThat(dispatcher.handleWatch("/api/v1/namespaces/default/pods?watch=true").getWebSocketListener())
        .isInstanceOf(WatchOpening.class);
    assertThat(WatchOpening.storeLockOf(dispatcher)).isInstanceOf(ReentrantReadWriteLock.class);
  }

  /** Whether another thread could take the write lock now, as a write request would. */
  private static boolean writeLockable(ReentrantReadWriteLock store) {
    boolean[] locked = new boolean[1];
    Thread writer = new Thread(() -> {
      locked[0] = store.writeLock().tryLock();
      if (locked[0]) {
        store.writeLock().unlock();
      }
    });
    writer.start();
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return locked[0];
  }
}
