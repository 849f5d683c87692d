package dev.sparkgate.gateway.stream;

import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StreamUpdate;

/**
 * One session's updates as JSON, written once however many clients watch: a session hands the same update to each
 * of its subscribers in turn, under its lock, so remembering the last one is enough.
 */
final class SharedEncoding {

    private StreamUpdate last;
    private String json;

    synchronized String encode(StreamUpdate update) {
        if (update != last) {
            json = Json.write(update);
            last = update;
        }
        return json;
    }
}
