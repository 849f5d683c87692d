package dev.sparkgate.gateway.jupyter;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A kernel as the Kernel Gateway API shows it. {@code last_activity} has exactly the shape Jupyter Server parses
 * ({@code %Y-%m-%dT%H:%M:%S.%fZ}: microseconds, then Z).
 */
public record KernelModel(String id, String name,
                          @JsonProperty("last_activity") String lastActivity,
                          @JsonProperty("execution_state") String executionState,
                          int connections) {

    private static final DateTimeFormatter JUPYTER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    static String timestamp(Instant instant) {
        return JUPYTER_TIME.format(instant);
    }
}
