package dev.sparkgate.gateway.web;

import dev.sparkgate.gateway.testing.Await;
import dev.sparkgate.gateway.testing.GatewayFixture;
import dev.sparkgate.gateway.testing.ListeningSockets;
import dev.sparkgate.gateway.testing.LivyClient;
import dev.sparkgate.protocol.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's Spark UI through the gateway, in headless Chromium: the user opens {@code /sessions/{id}/ui/} with the
 * gateway's token once, and Spark's pages (jobs, stages) and their static files load through the proxy, every link
 * staying under the session's path. A session with no UI gets a JSON refusal saying why.
 */
class SparkUiThroughGatewayTest {

    private static final String TOKEN = "spark-ui-s3cret";
    private static final Duration PAGE = Duration.ofSeconds(60);

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withSession(Kind.sql).token(TOKEN);
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start("spark-ui");
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theSparkUiOfARunningSessionLoadsThroughTheGateway() {
        LivyClient livy = gateway.livy(TOKEN);
        int session = gateway.session();
        livy.run(session, "sql", "SELECT count(*) FROM range(1000)");
        String ui = "/sessions/" + session + "/ui/";
        assertThat(livy.get("/sessions/" + session).body().path("appInfo").path("sparkUiUrl").asText())
                .as("the session's sparkUiUrl is the gateway's").isEqualTo(gateway.baseUri().resolve(ui).toString());
        WebDriver browser = chromium.driver();

        browser.get(gateway.baseUri().resolve(ui + "?token=" + TOKEN).toString());

        Await.until("Spark's jobs page through the proxy (at " + browser.getCurrentUrl() + ")", PAGE,
                () -> browser.getCurrentUrl().endsWith(ui + "jobs/") && !browser.findElements(
                        By.xpath("//h4[contains(., 'Completed Jobs')]")).isEmpty());
        assertThat(browser.getTitle()).contains("Spark Jobs");
        Number cssRules = (Number) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.styleSheets).filter(s => s.href && s.href.includes('"
                        + ui + "static/bootstrap')).map(s => s.cssRules.length)[0] || 0;");
        assertThat(cssRules.intValue()).as("Spark's bootstrap.min.css, a static asset, loaded through the proxy")
                .isGreaterThan(100);
        chromium.screenshot("spark-ui-jobs");

        browser.findElement(By.xpath("//a[normalize-space(.)='Stages']")).click();

        Await.until("Spark's stages tab through the proxy (at " + browser.getCurrentUrl() + ")", PAGE,
                () -> browser.getCurrentUrl().contains(ui + "stages/") && !browser.findElements(
                        By.xpath("//h4[contains(., 'Completed Stages')]")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("a[href]")).stream().map(a -> a.getAttribute("href"))
                .filter(href -> href.startsWith(gateway.baseUri().toString()) && href.contains("/stages/stage/")))
                .as("links to each stage stay under the session's UI path").isNotEmpty()
                .allSatisfy(href -> assertThat(href).contains(ui));
        chromium.screenshot("spark-ui-stages");
        assertThat(chromium.consoleErrors()).as("the Spark UI's console").isEmpty();
    }

    @Test
    void aLocalDriverListensOnLoopbackOnlySoItsUiIsReachedThroughTheGateway() {
        // given the session's driver, its Spark UI, RPC and block manager up
        long pid = gateway.livy(TOKEN).get("/sessions/" + gateway.session()).body().path("driver").path("pid").asLong();

        // when we list what it listens on
        List<InetSocketAddress> listening = ListeningSockets.of(pid);

        // then it listens (the UI at least), and only on loopback: no one reaches a user's Spark UI around the proxy
        assertThat(listening).as("the sockets driver %d listens on", pid).isNotEmpty()
                .allSatisfy(address -> assertThat(address.getAddress().isLoopbackAddress())
                        .as("%s is a loopback address", address).isTrue());
    }

    @Test
    void theUiNeedsTheSessionsAccessAndASessionWithoutOneIsRefusedWithWhy() {
        LivyClient livy = gateway.livy(TOKEN);
        int session = gateway.session();
        assertThat(gateway.livy(null).get("/sessions/" + session + "/ui/jobs/").status())
                .as("without the token").isEqualTo(401);

        int starting = livy.post("/sessions", Map.of("kind", "sql")).body().path("id").asInt();
        LivyClient.Reply whileStarting = livy.get("/sessions/" + starting + "/ui/");
        livy.delete("/sessions/" + starting);
        LivyClient.Reply deleted = livy.get("/sessions/" + starting + "/ui/");
        LivyClient.Reply unknown = livy.get("/sessions/999/ui/");

        assertThat(whileStarting.status()).isEqualTo(409);
        assertThat(whileStarting.msg()).contains("is starting", "once it is idle");
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.msg()).isEqualTo("Session '999' not found.");
    }
}
