package dev.sparkgate.gateway.api;

/**
 * What a route does, as the API description tells it: written beside the route's registration, so the two cannot
 * part. Schemas are names of {@link ApiSchemas}; null where there is none.
 *
 * @param tag      the API family: {@code livy}, {@code versions}, {@code jupyter}, {@code operate}, {@code page}
 * @param summary  one line, for the reader of the document
 * @param request  the JSON body's schema, or null
 * @param status   the status of a success
 * @param response the success's body schema, or null
 * @param produces the success's media type
 */
public record Operation(String tag, String summary, String request, int status, String response, String produces) {

    public static Operation of(String tag, String summary) {
        return new Operation(tag, summary, null, 200, null, "application/json");
    }

    public Operation request(String schema) {
        return new Operation(tag, summary, schema, status, response, produces);
    }

    public Operation returns(int newStatus, String schema) {
        return new Operation(tag, summary, request, newStatus, schema, produces);
    }

    public Operation returns(String schema) {
        return returns(status, schema);
    }

    /** A success that is not JSON: Prometheus' text, a page, a static file. */
    public Operation produces(String mediaType) {
        return new Operation(tag, summary, request, status, response, mediaType);
    }
}
