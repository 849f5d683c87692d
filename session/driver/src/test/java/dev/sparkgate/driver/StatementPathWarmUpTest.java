package dev.sparkgate.driver;

import org.java_websocket.drafts.Draft_6455;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The statement path's warm-up walks what a statement's way through the link does, and all of it runs. */
class StatementPathWarmUpTest {

    @Test
    void aWalkEncodesACommandAndFramesEveryEventOfAStatement() {
        assertThat(StatementPathWarmUp.walk(new Draft_6455())).as("one walk ran to its end").isTrue();
    }

    @Test
    void theWarmUpWalksItsWholeCount() {
        assertThat(StatementPathWarmUp.warm()).as("all %d walks ran", StatementPathWarmUp.WALKS).isTrue();
    }
}
