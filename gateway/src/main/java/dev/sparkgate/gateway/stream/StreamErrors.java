package dev.sparkgate.gateway.stream;

import dev.sparkgate.gateway.errors.GatewayError;
import dev.sparkgate.gateway.livy.LivyErrors;
import dev.sparkgate.protocol.StreamUpdate;
import io.javalin.http.HttpResponseException;

/**
 * The gateway's refusals as the stream gives them: a {@code refused} reply to the request, on a stream that stays
 * open, or an HTTP refusal of the upgrade itself. Its statuses are those of the same refusal on Livy's API (as the
 * session README documents), so a client that speaks both reads one set.
 */
final class StreamErrors {

    private StreamErrors() {
    }

    static StreamUpdate.Refused refused(int requestId, GatewayError error) {
        return new StreamUpdate.Refused(requestId, LivyErrors.status(error), error.getMessage());
    }

    static HttpResponseException upgradeRefused(GatewayError error) {
        return new HttpResponseException(LivyErrors.status(error), error.getMessage());
    }
}
