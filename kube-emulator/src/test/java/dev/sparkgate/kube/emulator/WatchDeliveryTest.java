package dev.sparkgate.kube.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** A change reaches every open watch even when one of them is closing, as on a real API server. */
class WatchDeliveryTest {

  @Test
  void aWatchThatIsClosingIsDroppedAndTheWatchesAfterItStillGetTheChange() {
    // given three watches, the middle one closing (its sender already shut down)
    WatchDelivery watches = new WatchDelivery();
    watches.addAll(List.of("first", "closing", "last"));
    List<Object> delivered = new ArrayList<>();

    // when a change is sent to each, as the mock sends it
    watches.forEach(watch -> {
      if (watch.equals("closing")) {
        throw new RejectedExecutionException("the watch's sender is shut down");
      }
      delivered.add(watch);
    });

    // then the others got it, and the closing one is gone
    assertThat(delivered).containsExactly("first", "last");
    assertThat(watches).containsExactly("first", "last");
  }

  @Test
  void theEmulatedApiServerSendsChangesThroughIt() throws ReflectiveOperationException {
    var field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
    field.setAccessible(true);

    assertThat(field.get(new DefaultingCrudDispatcher())).isInstanceOf(WatchDelivery.class);
  }
}
