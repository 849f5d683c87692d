package dev.sparkgate.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** One logback event as one JSON line: the fields an operator's log store indexes, the exception as {@code cause}. */
class JsonLineLayoutTest {

    // The running context: its MDC adapter is the one LogContext writes to.
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @Test
    void anEventWithASessionAndAnExceptionIsOneLineOfJson() throws Exception {
        LoggingEvent event;
        try (LogContext session = LogContext.session(7, "grace")) {
            event = new LoggingEvent(JsonLineLayoutTest.class.getName(), context.getLogger("dev.sparkgate.gateway.X"),
                    Level.ERROR, "session {}: driver exited with code {}", new IllegalStateException("heap \"gone\""),
                    new Object[] {7, 137});
            event.prepareForDeferredProcessing();
        }

        String text = new JsonLineLayout().doLayout(event);
        JsonNode line = Json.MAPPER.readTree(text);

        assertThat(text).endsWith("\n").doesNotContain("\n{").hasLineCount(1);
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("logger").asText()).isEqualTo("dev.sparkgate.gateway.X");
        assertThat(line.path("session").asText()).isEqualTo("7");
        assertThat(line.path("user").asText()).isEqualTo("grace");
        assertThat(line.path("message").asText()).isEqualTo("session 7: driver exited with code 137");
        assertThat(line.path("cause").path("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("cause").path("message").asText()).isEqualTo("heap \"gone\"");
        assertThat(line.path("cause").path("stack").asText()).contains("JsonLineLayoutTest");
    }

    @Test
    void outsideASessionThereIsNoSessionField() throws Exception {
        LoggingEvent event = new LoggingEvent(JsonLineLayoutTest.class.getName(), context.getLogger("g"), Level.INFO,
                "listening", null, null);

        JsonNode line = Json.MAPPER.readTree(new JsonLineLayout().doLayout(event));

        assertThat(line.has("session")).isFalse();
        assertThat(line.has("cause")).isFalse();
        assertThat(line.path("message").asText()).isEqualTo("listening");
    }
}
