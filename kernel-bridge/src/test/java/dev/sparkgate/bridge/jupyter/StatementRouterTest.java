package dev.sparkgate.bridge.jupyter;

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
    void otherClientsStatementsNeverReachTheKernel() {
        router.claim(1, mine::add);

        router.route(new StatementEvent.Stream(2, StatementEvent.StreamName.stdout, "someone else\n"));

        assertThat(mine).isEmpty();
    }

    @Test
    void aLostConnectionEndsEveryUnfinishedStatement() {
        router.claim(7, mine::add);

        router.abandonAll(new StatementEvent.ErrorInfo("ConnectionLost", "gone", List.of()));

        assertThat(mine).singleElement().isInstanceOfSatisfying(StatementEvent.Finished.class,
                f -> assertThat(f.error().ename()).isEqualTo("ConnectionLost"));
    }
}
