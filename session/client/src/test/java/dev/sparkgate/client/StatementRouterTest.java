package dev.sparkgate.client;

import dev.sparkgate.protocol.StatementEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatementRouterTest {

    private final StatementRouter router = new StatementRouter();
    private final List<StatementEvent> mine = new ArrayList<>();

    @Test
    void eventsThatCameBeforeTheStatementIdAreHandedOverWhenItIsClaimed() {
        // given the stream delivered the statement's first events before execute returned its id
        router.route(new StatementEvent.Started(4, 1));
        router.route(new StatementEvent.Stream(4, StatementEvent.StreamName.stdout, "early\n"));

        // when the submitter claims it, and more events come
        router.claim(4, mine::add);
        router.route(StatementEvent.Finished.ok(4, Map.of()));

        // then it has every event, in order
        assertThat(mine).extracting(e -> e.getClass().getSimpleName()).containsExactly("Started", "Stream", "Finished");
    }

    @Test
    void aStatementThatFinishedBeforeItWasClaimedIsHandedOverWhole() {
        router.route(new StatementEvent.Started(5, 1));
        router.route(StatementEvent.Finished.ok(5, Map.of()));

        router.claim(5, mine::add);
        router.route(new StatementEvent.Stream(5, StatementEvent.StreamName.stdout, "never after finished\n"));

        assertThat(mine).extracting(e -> e.getClass().getSimpleName()).containsExactly("Started", "Finished");
    }

    @Test
    void otherClientsStatementsNeverReachTheSubmitter() {
        router.claim(1, mine::add);

        router.route(new StatementEvent.Stream(2, StatementEvent.StreamName.stdout, "someone else\n"));

        assertThat(mine).isEmpty();
    }

    @Test
    void onlyTheLatestUnclaimedStatementsAreKept() {
        // given more statements of other clients than are kept, then ours
        for (int id = 0; id < StatementRouter.UNCLAIMED_KEPT + 5; id++) {
            router.route(new StatementEvent.Started(id, 1));
        }
        int ours = StatementRouter.UNCLAIMED_KEPT + 5;
        router.route(new StatementEvent.Started(ours, 1));

        router.claim(0, mine::add);
        List<StatementEvent> ourEvents = new ArrayList<>();
        router.claim(ours, ourEvents::add);

        assertThat(mine).as("the oldest was dropped").isEmpty();
        assertThat(ourEvents).hasSize(1);
    }

    @Test
    void aStreamThatIsOverEndsEveryUnfinishedStatementAndAnyClaimedLater() {
        router.claim(7, mine::add);
        List<StatementEvent> later = new ArrayList<>();

        router.closeAll(new StatementEvent.ErrorInfo("ConnectionLost", "gone", List.of()));
        router.claim(8, later::add);

        assertThat(mine).singleElement().isInstanceOfSatisfying(StatementEvent.Finished.class,
                f -> assertThat(f.error().ename()).isEqualTo("ConnectionLost"));
        assertThat(later).singleElement().isInstanceOfSatisfying(StatementEvent.Finished.class,
                f -> assertThat(f.error().evalue()).isEqualTo("gone"));
    }
}
