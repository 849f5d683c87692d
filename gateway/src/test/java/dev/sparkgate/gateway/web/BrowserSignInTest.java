package dev.sparkgate.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.TestUsers;
import dev.sparkgate.protocol.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser page's sign-in, on a gateway with a users file: a token buys an HttpOnly, SameSite=Strict cookie
 * that names a sign-in kept on the gateway, and a CSRF token the page's script sends with every change. Over HTTP:
 * a change made with the cookie alone is 403, the same with the CSRF header works, a WebSocket opened with the cookie
 * from another origin is 403, a signed-out cookie is 401. In headless Chromium: alice signs in, sees her sessions
 * and not bob's, creates one, runs a cell, and signs out. One gateway; bob's session and alice's each start a driver.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserSignInTest {

    private static final Duration DRIVER_START = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().with(Map.of(
            "SPARKGATE_TOKEN", "the-operators-token",
            "SPARKGATE_USERS_FILE", TestUsers.file("alice:alice-token:team-a", "bob:bob-token:team-b").toString()));
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static int bobSession;
    private static String aliceSession;


    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start("sign-in");
        browser = chromium.driver();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void noErrorsInTheConsole() {
        assertThat(chromium.consoleErrors()).as("the page's console")
                .allMatch(message -> message.contains("401") || message.contains("403"));
    }

    @Test
    @Order(1)
    void aCookieSignInChangesNothingWithoutItsCsrfTokenAndEndsWithSigningOut() throws Exception {
        HttpResponse<String> refused = signIn("{\"token\":\"not-bobs-token\"}", "application/json");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(signIn("token=bob-token", "application/x-www-form-urlencoded").statusCode())
                .as("a plain form, which any site could post, signs nobody in").isEqualTo(400);

        HttpResponse<String> signedIn = signIn("{\"token\":\"bob-token\"}", "application/json");
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("sparkgate_sign_in=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("bob-token");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        JsonNode me = Json.MAPPER.readTree(signedIn.body());
        assertThat(me.path("user").asText()).isEqualTo("bob");
        String csrf = me.path("csrfToken").asText();
        assertThat(csrf).hasSizeGreaterThan(30);
        assertThat(Json.MAPPER.readTree(send(request("/auth/me", cookie).GET()).body()).path("csrfToken").asText())
                .as("the page asks again after a reload").isEqualTo(csrf);

        String create = "{\"kind\":\"sql\",\"name\":\"bobs\"}";
        HttpResponse<String> withoutCsrf = send(request("/sessions", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(create)));
        assertThat(withoutCsrf.statusCode()).isEqualTo(403);
        assertThat(withoutCsrf.body()).contains("X-Sparkgate-CSRF");
        HttpResponse<String> wrongCsrf = send(request("/sessions", cookie).header("Content-Type", "application/json")
                .header("X-Sparkgate-CSRF", csrf + "x").POST(HttpRequest.BodyPublishers.ofString(create)));
        assertThat(wrongCsrf.statusCode()).isEqualTo(403);
        assertThat(gateway.livy("bob-token").get("/sessions").body().path("sessions")).as("nothing was created")
                .isEmpty();

        HttpResponse<String> withCsrf = send(request("/sessions", cookie).header("Content-Type", "application/json")
                .header("X-Sparkgate-CSRF", csrf).POST(HttpRequest.BodyPublishers.ofString(create)));
        assertThat(withCsrf.statusCode()).as(withCsrf.body()).isEqualTo(201);
        JsonNode created = Json.MAPPER.readTree(withCsrf.body());
        bobSession = created.path("id").asInt();
        assertThat(created.path("owner").asText()).isEqualTo("bob");

        String stream = "/sessions/" + bobSession + "/stream";
        assertThat(webSocketStatus(stream, cookie, "http://elsewhere.example")).as("another site's page").isEqualTo(403);
        assertThat(webSocketStatus(stream, cookie, gateway.baseUri().toString().replaceAll("/$", "")))
                .as("the gateway's own page").isEqualTo(101);

        HttpResponse<String> signOutWithoutCsrf = send(request("/auth/sign-out", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(signOutWithoutCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> signedOut = send(request("/auth/sign-out", cookie).header("X-Sparkgate-CSRF", csrf)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(signedOut.statusCode()).isEqualTo(204);
        assertThat(signedOut.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        HttpResponse<String> afterwards = send(request("/sessions", cookie).header("Accept", "application/json").GET());
        assertThat(afterwards.statusCode()).isEqualTo(401);
        assertThat(afterwards.body()).contains("sign in again");
    }

    @Test
    @Order(2)
    void thePageAsksForATokenAndSaysWhenItIsWrong() {
        browser.get(gateway.baseUri().resolve("/sessions").toString());
        WebElement token = waitUntil(Duration.ofSeconds(20), b -> b.findElement(By.cssSelector("#sign-in-form input")));
        assertThat(browser.findElement(By.id("sessions")).isDisplayed()).isFalse();

        token.sendKeys("bob-token-but-wrong", Keys.ENTER);

        WebElement error = waitUntil(Duration.ofSeconds(10), b -> b.findElement(By.id("sign-in-error")));
        waitUntil(Duration.ofSeconds(10), b -> error.isDisplayed());
        assertThat(error.getText()).contains("Not signed in");
        assertThat(browser.manage().getCookieNamed("sparkgate_sign_in")).isNull();
    }

    @Test
    @Order(3)
    void aliceSignsInAndSeesHerSessionsOnly() {
        WebElement token = browser.findElement(By.cssSelector("#sign-in-form input"));
        token.clear();
        token.sendKeys("alice-token", Keys.ENTER);

        waitUntil(Duration.ofSeconds(10), b -> b.findElement(By.id("sessions-empty")).isDisplayed());
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("alice");
        assertThat(browser.findElements(By.cssSelector("#sessions-body tr[data-session='" + bobSession + "']")))
                .as("bob's session").isEmpty();
        Cookie cookie = browser.manage().getCookieNamed("sparkgate_sign_in");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).doesNotContain("alice");
    }

    @Test
    @Order(4)
    void aliceCreatesASessionAndRunsACell() {
        new Select(browser.findElement(By.name("kind"))).selectByValue("sql");
        browser.findElement(By.name("name")).sendKeys("alices");
        browser.findElement(By.cssSelector("#create-form button[type=submit]")).click();

        WebElement row = waitUntil(Duration.ofSeconds(10), b -> b.findElement(By.cssSelector("#sessions-body tr")));
        aliceSession = row.getAttribute("data-session");
        assertThat(browser.findElements(By.cssSelector("#sessions-body tr"))).hasSize(1);
        assertThat(gateway.livy("alice-token").get("/sessions/" + aliceSession).body().path("owner").asText())
                .isEqualTo("alice");

        browser.get(gateway.baseUri().resolve("/sessions/" + aliceSession).toString());
        WebElement editor = waitUntil(Duration.ofSeconds(20), b -> b.findElement(By.cssSelector(".composer textarea")));
        waitUntil(DRIVER_START, b -> b.findElement(By.cssSelector(".composer .run")).isEnabled());
        editor.sendKeys("SELECT 6 * 7 AS answer");
        editor.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));

        WebElement cell = waitUntil(Duration.ofSeconds(10),
                b -> b.findElement(By.cssSelector("#cells .cell[data-statement='0']")));
        waitUntil(Duration.ofSeconds(60), b -> "ok".equals(cell.getAttribute("data-state")));
        assertThat(cell.findElement(By.cssSelector("table.result tbody tr")).getText().strip()).isEqualTo("42");
        assertThat(browser.findElement(By.id("connection")).getText()).as("the stream, opened with the cookie")
                .isEqualTo("live");
    }

    @Test
    @Order(5)
    void signingOutEndsTheSignInAndAsksAgain() throws Exception {
        String cookie = "sparkgate_sign_in=" + browser.manage().getCookieNamed("sparkgate_sign_in").getValue();

        browser.findElement(By.id("sign-out")).click();

        waitUntil(Duration.ofSeconds(10), b -> b.findElement(By.cssSelector("#sign-in-form input")).isDisplayed());
        assertThat(browser.manage().getCookieNamed("sparkgate_sign_in")).isNull();
        assertThat(send(request("/sessions/" + aliceSession, cookie).header("Accept", "application/json").GET())
                .statusCode()).as("the old cookie, replayed").isEqualTo(401);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static HttpResponse<String> signIn(String body, String contentType) throws Exception {
        return send(HttpRequest.newBuilder(gateway.baseUri().resolve("/auth/sign-in"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpRequest.Builder request(String path, String cookie) {
        return HttpRequest.newBuilder(gateway.baseUri().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Cookie", cookie);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** 101 when the WebSocket opened (and is closed again), else the handshake's status. */
    private static int webSocketStatus(String path, String cookie, String origin) throws Exception {
        URI uri = URI.create(gateway.baseUri().resolve(path).toString().replaceFirst("^http", "ws"));
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().header("Cookie", cookie).header("Origin", origin)
                    .buildAsync(uri, new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static <T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, timeout, Duration.ofMillis(50))
                .ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }
}
