package dev.sparkgate.gateway.livy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.errors.BadRequest;
import dev.sparkgate.protocol.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON request body read field by field, forgiving where real clients differ (Zeppelin sends numbers as strings)
 * and precise where they are wrong: each refusal names the field, what it must be and what came.
 */
public final class RequestBody {

    private final JsonNode root;

    private RequestBody(JsonNode root) {
        this.root = root;
    }

    public static RequestBody parse(String body) {
        if (body == null || body.isBlank()) {
            return new RequestBody(Json.MAPPER.createObjectNode());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("The request body is not valid JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "): send a JSON object.");
        }
        if (!root.isObject()) {
            throw new BadRequest("The request body must be a JSON object, not " + describe(root) + ".");
        }
        return new RequestBody(root);
    }

    public String string(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode() || node.isBinary()) {
            throw wrongType(field, "a string", node);
        }
        return node.asText();
    }

    public Integer integer(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.asInt();
        }
        if (node.isTextual() && node.asText().trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(node.asText().trim());
        }
        throw wrongType(field, "a whole number", node);
    }

    public List<String> strings(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return node.asText().isBlank() ? List.of() : List.of(node.asText());
        }
        if (!node.isArray()) {
            throw wrongType(field, "a list of strings", node);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode()) {
                throw wrongType(field, "a list of strings", node);
            }
            values.add(item.asText());
        }
        return values;
    }

    /** A map of Spark confs: values of any scalar type, kept as Spark keeps them, as strings. */
    public Map<String, String> stringMap(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw wrongType(field, "an object of names to values", node);
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode()) {
                throw wrongType(field + "." + entry.getKey(), "a string, number or boolean", entry.getValue());
            }
            values.put(entry.getKey(), entry.getValue().asText());
        });
        return values;
    }

    private static BadRequest wrongType(String field, String expected, JsonNode got) {
        return new BadRequest("'" + field + "' must be " + expected + ", not " + describe(got) + ".");
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return node.getNodeType().name().toLowerCase() + " " + text;
    }
}
