package dev.sparkgate.bridge.client;

import dev.sparkgate.protocol.InterpreterAnswer;
import dev.sparkgate.protocol.InterpreterQuestion;
import dev.sparkgate.protocol.Json;
import dev.sparkgate.protocol.StreamRequest;
import dev.sparkgate.protocol.StreamUpdate;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session's stream, as a front end uses it: submit code and get its statement id back, then receive the
 * statement's events through the {@link Listener}; ask for completions; cancel.
 */
public final class SessionStream implements AutoCloseable {

    /** Receives every update of the session, in order, on the stream's own thread: do not block in it. */
    public interface Listener {
        void onUpdate(StreamUpdate update);

        /** The stream closed: the session was deleted, the gateway went away, or the client closed it. */
        default void onClosed(int code, String reason) {
        }
    }

    private final Socket socket;
    private final AtomicInteger requestIds = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<StreamUpdate>> replies = new ConcurrentHashMap<>();

    private SessionStream(URI uri, Listener listener) {
        this.socket = new Socket(uri, listener);
    }

    static SessionStream open(URI uri, Listener listener) {
        SessionStream stream = new SessionStream(uri, listener);
        boolean open;
        try {
            open = stream.socket.connectBlocking(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("Interrupted while connecting to the session stream", e);
        }
        if (!open) {
            throw new GatewayException(0, "Could not open the session stream at " + uri.getHost() + ":" + uri.getPort()
                    + uri.getPath() + ": the session may be gone, or the token is wrong.");
        }
        return stream;
    }

    /** Submits code and returns its statement id once the gateway accepted it. */
    public int execute(String kind, String code) {
        int requestId = requestIds.getAndIncrement();
        StreamUpdate reply = ask(requestId, new StreamRequest.Execute(requestId, code, kind));
        return ((StreamUpdate.Submitted) reply).statementId();
    }

    public void cancel(int statementId) {
        socket.send(Json.write(new StreamRequest.Cancel(requestIds.getAndIncrement(), statementId)));
    }

    /** The session's interpreter's answer to {@code question}, asked of the interpreter of {@code kind}. */
    public <A extends InterpreterAnswer> A ask(String kind, InterpreterQuestion<A> question) {
        int requestId = requestIds.getAndIncrement();
        StreamUpdate.Answer reply = (StreamUpdate.Answer) ask(requestId, new StreamRequest.Ask(requestId, question, kind));
        return question.answerType().cast(reply.answer());
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    private StreamUpdate ask(int requestId, StreamRequest request) {
        CompletableFuture<StreamUpdate> reply = new CompletableFuture<>();
        replies.put(requestId, reply);
        if (!socket.isOpen()) {
            replies.remove(requestId);
            throw new GatewayException(0, "The session stream is closed: the session ended or the gateway went away.");
        }
        socket.send(Json.write(request));
        StreamUpdate answer;
        try {
            answer = reply.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new GatewayException("The gateway did not answer within 30 s", e);
        } finally {
            replies.remove(requestId);
        }
        if (answer instanceof StreamUpdate.Refused refused) {
            throw new GatewayException(refused.status(), refused.message());
        }
        return answer;
    }

    @Override
    public void close() {
        socket.close();
    }

    private final class Socket extends WebSocketClient {
        private final Listener listener;

        Socket(URI uri, Listener listener) {
            super(uri);
            this.listener = listener;
            setConnectionLostTimeout(30);
        }

        @Override
        public void onMessage(String message) {
            StreamUpdate update = Json.read(message, StreamUpdate.class);
            int requestId = update instanceof StreamUpdate.Reply r ? r.requestId() : -1;
            CompletableFuture<StreamUpdate> reply = replies.get(requestId);
            if (reply != null) {
                // Complete before passing the update on, so the submitter knows the id before the events arrive.
                reply.complete(update);
            }
            listener.onUpdate(update);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            replies.values().forEach(r -> r.complete(new StreamUpdate.Refused(-1, 0,
                    "The session stream closed: " + (reason == null || reason.isBlank() ? "code " + code : reason))));
            listener.onClosed(code, reason);
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
