package dev.sparkgate.driver.python;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StatementEvent.ErrorInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the fields of the REPL's messages into the protocol's types. */
final class ReplMessages {

    private static final TypeReference<Map<String, Object>> BUNDLE = new TypeReference<>() {
    };

    private ReplMessages() {
    }

    static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(item -> strings.add(item.asText()));
        return strings;
    }

    /** A MIME bundle: MIME type to value (text, base64, or JSON for the JSON types). */
    static Map<String, Object> bundle(JsonNode data) {
        return data.isObject() ? Json.MAPPER.convertValue(data, BUNDLE) : Map.of();
    }

    static ErrorInfo error(JsonNode message) {
        return new ErrorInfo(message.path("ename").asText(), message.path("evalue").asText(),
                strings(message.path("traceback")));
    }
}
