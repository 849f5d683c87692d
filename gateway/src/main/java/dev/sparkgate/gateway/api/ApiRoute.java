package dev.sparkgate.gateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the gateway and its description: {@code method} is {@code get}, {@code post}, {@code delete} or, for
 * a WebSocket, {@code get} with {@code webSocket} set (OpenAPI 3.0 has no WebSocket operation; the upgrade is a GET).
 * {@code path} is Javalin's ({@code /sessions/{id}}, {@code /ui/<path>}).
 */
public record ApiRoute(String method, String path, boolean webSocket, Operation operation) {

    private static final Pattern PARAM = Pattern.compile("[{<]([^}>]+)[}>]");

    /** The path as OpenAPI writes it: every parameter in braces. */
    public String openApiPath() {
        return PARAM.matcher(path).replaceAll("{$1}");
    }

    public List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
