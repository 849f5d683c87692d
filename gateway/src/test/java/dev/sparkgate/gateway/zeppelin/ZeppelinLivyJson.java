package dev.sparkgate.gateway.zeppelin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * The JSON Zeppelin's Livy interpreter reads, with the field types its own classes declare (BaseLivyInterpreter's
 * SessionInfo, StatementInfo, ... in Zeppelin 0.11). Zeppelin parses with gson: unknown fields are ignored, but a
 * field that comes with another JSON type than declared fails the whole paragraph (an object where it declares a
 * string, say). Parsing our answers into these records fails the same way.
 */
final class ZeppelinLivyJson {

    private static final ObjectMapper STRICT_TYPES = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ZeppelinLivyJson() {
    }

    static <T> T parse(String json, Class<T> type) {
        try {
            return STRICT_TYPES.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Zeppelin could not read this as its " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + "\n" + json, e);
        }
    }

    record LivyVersionResponse(String url, String branch, String revision, String version, String date, String user) {
    }

    /** Zeppelin declares {@code appInfo} as a map of strings: each of its values must be a string or null. */
    record SessionInfo(int id, String appId, String owner, String proxyUser, String state, String kind,
                       Map<String, String> appInfo, List<String> log) {

        boolean isReady() {
            return state.equals("idle");
        }

        boolean isFinished() {
            return state.equals("error") || state.equals("dead") || state.equals("success");
        }
    }

    record SessionLog(int id, int from, int size, List<String> log) {
    }

    record StatementInfo(Integer id, String state, double progress, StatementOutput output) {

        boolean isAvailable() {
            return state.equals("available") || state.equals("cancelled");
        }
    }

    record StatementOutput(String status, String executionCount, Data data, String ename, String evalue,
                           String[] traceback) {

        boolean isError() {
            return status.equals("error");
        }
    }

    /** Zeppelin declares {@code application/json} as a string: an object there fails the paragraph. */
    record Data(@JsonProperty("text/plain") String plainText,
                @JsonProperty("image/png") String imagePng,
                @JsonProperty("application/json") String applicationJson,
                @JsonProperty("application/vnd.livy.table.v1+json") TableMagic table) {
    }

    record TableMagic(List<Map<String, Object>> headers, @JsonProperty("data") List<List<Object>> records) {
    }

    record CompletionResponse(String[] candidates) {
    }
}
