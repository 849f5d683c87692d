package dev.sparkgate.gateway.web;

import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page and the API share their addresses: what each kind of client gets from /sessions, /sessions/{id} and
 * /ui/, on a gateway with a token. No driver is started here.
 */
class PageRoutesTest {

    private static final String TOKEN = "page-t0ken";
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().token(TOKEN);
    private static URI base;

    @BeforeAll
    static void address() {
        base = gateway.baseUri();
    }

    @Test
    void aBrowserGetsTheListPageAndEveryOtherClientLivyJson() throws Exception {
        HttpResponse<String> page = get("/sessions?token=" + TOKEN, BROWSER);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Vary")).hasValue("Accept");
        assertThat(page.body()).contains("<title>Sessions · Sparkgate</title>")
                .contains("{\"kubernetes\":false,").doesNotContain("{{sparkgate-config}}");
        for (String accept : new String[] {"*/*", "application/json", null}) {
            HttpResponse<String> api = get("/sessions?token=" + TOKEN, accept);
            assertThat(contentType(api)).as(accept).isEqualTo("application/json");
            assertThat(api.headers().firstValue("Vary")).as(accept).hasValue("Accept");
            assertThat(Json.MAPPER.readTree(api.body()).path("sessions").isArray()).as(accept).isTrue();
        }
    }

    @Test
    void aSessionsAddressOpensItsPageInABrowser() throws Exception {
        HttpResponse<String> page = get("/sessions/3?token=" + TOKEN, BROWSER);
        HttpResponse<String> api = get("/sessions/3?token=" + TOKEN, "application/json");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/ui/js/session-view.js");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).contains("Session '3' not found.");
        assertThat(contentType(get("/sessions/3/statements?token=" + TOKEN, BROWSER)))
                .as("only the two page addresses are pages").isEqualTo("application/json");
    }

    @Test
    void onlyReadsArePages() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(base.resolve("/sessions?token=" + TOKEN))
                .header("Accept", BROWSER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"cobol\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(400);
        assertThat(post.body()).contains("Unknown session kind 'cobol'");
    }

    @Test
    void thePagesAndTheirStaticFilesAreServedToSignInButTheirDataNeedsTheToken() throws Exception {
        // The pages hold no data: they are served to anyone so that they can ask for a token (and sign in).
        assertThat(get("/sessions", BROWSER).statusCode()).isEqualTo(200);
        assertThat(get("/sessions/0", BROWSER).statusCode()).isEqualTo(200);
        assertThat(get("/sessions", "application/json").statusCode()).isEqualTo(401);
        assertThat(get("/sessions/0", "application/json").statusCode()).isEqualTo(401);
        assertThat(get("/sessions?token=wrong", "application/json").statusCode()).isEqualTo(401);
        assertThat(get("/sessions/0/statements", BROWSER).statusCode()).isEqualTo(401);

        HttpResponse<String> script = get("/ui/js/stream.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(contentType(script)).isEqualTo("text/javascript;charset=utf-8");
        assertThat(get("/ui/css/sparkgate.css", null).statusCode()).isEqualTo(200);
    }

    @Test
    void staticFilesRevalidateAndNothingOutsideTheWebRootIsServed() throws Exception {
        HttpResponse<String> first = get("/ui/js/session-view.js", null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(base.resolve("/ui/js/session-view.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(get("/ui/js/missing.js", null).statusCode()).isEqualTo(404);
        assertThat(get("/ui/sparkgate/driver-jvm.properties", null).statusCode()).isEqualTo(404);
        assertThat(get("/ui/..%2Fsparkgate%2Fdriver-jvm.properties", null).statusCode()).isIn(400, 404);
        HttpResponse<String> escape = get("/ui/../sessions", null);
        assertThat(escape.body()).as("the token check's exemption for /ui/ reaches nothing else")
                .doesNotContain("\"sessions\"");
    }

    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
    }

    private static HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
