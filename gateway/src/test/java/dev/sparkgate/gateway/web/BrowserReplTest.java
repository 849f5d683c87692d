package dev.sparkgate.gateway.web;

import dev.sparkgate.testkit.OutsideTools;
import dev.sparkgate.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser REPL in real headless Chromium, against a real gateway with a token and a real driver, as a person
 * uses it: the list, a new session, Scala and SQL cells, streamed output, progress, tables, errors, cancel, a
 * network drop, a reload. The tests run in order on one session, each building on the cells before it.
 * Screenshots of both pages land in {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserReplTest {

    private static final String TOKEN = "browser-s3cret";
    private static final int ROW_CAP = 50;
    private static final Duration DRIVER_START = Duration.ofSeconds(120);
    private static final Duration CELL = Duration.ofSeconds(60);

    /**
     * The person creates the session in the page. Python cells run on Debian's python3 and its matplotlib (CI
     * installs python3-matplotlib), without PySpark: the page's part is to show what a cell displays.
     */
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().token(TOKEN)
            .with("SPARKGATE_SQL_ROW_CAP", String.valueOf(ROW_CAP)).withPlainPython();
    private static HeadlessChromium chromium;
    private static TcpProxy network;
    private static WebDriver browser;
    private static String session;

    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start("repl");
        browser = chromium.driver();
        // The browser reaches the gateway through a relay the test can cut, as a network drop would.
        network = new TcpProxy(gateway.baseUri());
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @AfterEach
    void noErrorsInTheConsole() {
        assertThat(chromium.consoleErrors()).as("the page's console").isEmpty();
    }

    @Test
    @Order(1)
    void theListCreatesASessionAndFollowsItsStateLive() {
        open("/sessions");
        waitUntil(Duration.ofSeconds(10), b -> b.findElement(By.id("sessions-empty")).isDisplayed());

        new Select(browser.findElement(By.name("kind"))).selectByValue("shared");
        browser.findElement(By.name("name")).sendKeys("browser");
        browser.findElement(By.cssSelector("#create-form button[type=submit]")).click();

        WebElement row = waitUntil(Duration.ofSeconds(10), b -> b.findElement(By.cssSelector("#sessions-body tr")));
        session = row.getAttribute("data-session");
        assertThat(text(row, "td.name")).isEqualTo("browser");
        assertThat(text(row, "td.kind")).isEqualTo("Scala · SQL · Python");
        // No reload: the list follows the session from starting to idle by itself.
        waitUntil(DRIVER_START, b -> text(b.findElement(By.cssSelector("#sessions-body tr")), "td.state").equals("idle"));
        assertThat(text(browser.findElement(By.cssSelector("#sessions-body tr")), "td.executors")).startsWith("local");
        chromium.screenshot("sessions-list");
    }

    @Test
    @Order(2)
    void aScalaCellShowsItsOutputWhileItIsStillRunning() {
        open("/sessions/" + session);
        WebElement cell = run(null, "for (i <- 1 to 6) { println(s\"line $i\"); Thread.sleep(400) }");

        // The first line and the running state, seen together: output arrived before the cell finished.
        waitUntil(CELL, b -> stdout(cell).contains("line 1"));
        assertThat(cell.getAttribute("data-state")).isEqualTo("running");
        assertThat(stdout(cell)).doesNotContain("line 6");

        waitUntil(CELL, b -> "ok".equals(cell.getAttribute("data-state")));
        assertThat(stdout(cell)).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\nline 6");
    }

    @Test
    @Order(3)
    void sparkJobsShowProgressBarsThatMove() {
        WebElement cell = run(null, "sc.parallelize(1 to 40, 20).map { x => Thread.sleep(150); x }.count()");

        List<Long> seen = new ArrayList<>();
        waitUntil(CELL, b -> {
            Object value = script("const bar = arguments[0].querySelector('.job .bar');"
                    + "return bar ? Number(bar.getAttribute('aria-valuenow')) : null;", cell);
            if (value instanceof Number n && (seen.isEmpty() || seen.get(seen.size() - 1) != n.longValue())) {
                seen.add(n.longValue());
            }
            return "ok".equals(cell.getAttribute("data-state"));
        });

        assertThat(seen).as("the bar's values while the job ran").anyMatch(v -> v > 0 && v < 100);
        assertThat(seen).isSorted();
        assertThat(text(cell, ".job .job-tasks")).isEqualTo("20/20 tasks");
        assertThat(text(cell, ".result")).contains("Long = 40");
    }

    @Test
    @Order(4)
    void sqlResultsAreTablesThatSayWhenTheRowCapCutThem() {
        WebElement small = run("sql", "SELECT id, id * id AS square FROM range(5)");
        waitUntil(CELL, b -> "ok".equals(small.getAttribute("data-state")));

        assertThat(small.findElements(By.cssSelector("table.result th")).stream().map(WebElement::getText))
                .containsExactly("id", "square");
        assertThat(small.findElements(By.cssSelector("table.result tbody tr"))).hasSize(5);
        assertThat(text(small, "table.result tbody tr:last-child")).isEqualTo("4 16");
        assertThat(text(small, ".table-caption")).isEqualTo("5 rows · 2 columns");

        WebElement big = run("sql", "SELECT * FROM range(1000)");
        waitUntil(CELL, b -> "ok".equals(big.getAttribute("data-state")));

        assertThat(big.findElements(By.cssSelector("table.result tbody tr"))).hasSize(ROW_CAP);
        assertThat(text(big, ".table-caption")).contains(ROW_CAP + " rows").contains("row cap");
    }

    @Test
    @Order(5)
    void anErrorShowsItsExceptionAndTraceback() {
        WebElement cell = run("spark", "throw new IllegalStateException(\"the disk is full\")");
        waitUntil(CELL, b -> "error".equals(cell.getAttribute("data-state")));

        assertThat(text(cell, ".error-title")).contains("IllegalStateException").contains("the disk is full");
    }

    @Test
    @Order(6)
    void aPythonCellShowsItsFigureAsAnImage() {
        OutsideTools.MATPLOTLIB.require();
        WebElement cell = run("pyspark", "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()");
        waitUntil(CELL, b -> !"running".equals(cell.getAttribute("data-state"))
                && !"waiting".equals(cell.getAttribute("data-state")));

        assertThat(cell.getAttribute("data-state")).as(cell.getText()).isEqualTo("ok");
        WebElement image = cell.findElement(By.cssSelector(".output-image img"));
        assertThat(((Number) script("return arguments[0].naturalWidth;", image)).intValue()).isGreaterThan(100);
    }

    @Test
    @Order(7)
    void tabCompletesThroughTheGateway() {
        new Select(browser.findElement(By.cssSelector(".composer .kind-select"))).selectByValue("spark");
        WebElement editor = editor();
        editor.sendKeys("spark.rang");
        editor.sendKeys(Keys.TAB);

        waitUntil(Duration.ofSeconds(20), b -> editor.getAttribute("value").startsWith("spark.range"));
        clearEditor();
    }

    @Test
    @Order(8)
    void aRunningCellCanBeCancelled() {
        WebElement cell = run(null, "Thread.sleep(120000)");
        waitUntil(CELL, b -> "running".equals(cell.getAttribute("data-state")));

        cell.findElement(By.cssSelector("button.cancel")).click();

        waitUntil(Duration.ofSeconds(30), b -> "cancelled".equals(cell.getAttribute("data-state")));
        assertThat(cell.findElement(By.cssSelector("button.cancel")).isDisplayed()).isFalse();
    }

    @Test
    @Order(9)
    void outputProducedDuringANetworkDropArrivesOnceAfterIt() {
        script("window.statuses = []; window.sparkgate.stream.addEventListener('status', e => statuses.push(e.detail));");
        WebElement cell = run(null, "for (i <- 1 to 8) { println(s\"tick $i\"); Thread.sleep(400) }");
        waitUntil(CELL, b -> stdout(cell).contains("tick 2"));

        network.cut();

        waitUntil(CELL, b -> "ok".equals(cell.getAttribute("data-state")));
        assertThat(stdout(cell)).isEqualTo("tick 1\ntick 2\ntick 3\ntick 4\ntick 5\ntick 6\ntick 7\ntick 8");
        assertThat(script("return window.statuses;")).asList().containsSubsequence("reconnecting", "live");
        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
    }

    @Test
    @Order(10)
    void aReloadShowsTheSessionsHistory() {
        browser.navigate().refresh();

        waitUntil(Duration.ofSeconds(20), b -> b.findElements(By.cssSelector("#cells .cell")).size() == 8
                && b.findElements(By.cssSelector("#cells .cell[data-state=waiting], #cells .cell[data-state=running]")).isEmpty());
        assertThat(stdout(cellNumber(0))).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\nline 6");
        assertThat(cellNumber(2).findElements(By.cssSelector("table.result tbody tr"))).hasSize(5);
        assertThat(cellNumber(4).getAttribute("data-state")).isEqualTo("error");
        assertThat(cellNumber(5).findElements(By.cssSelector(".output-image img"))).hasSize(1);
        assertThat(cellNumber(6).getAttribute("data-state")).isEqualTo("cancelled");
        assertThat(text(cellNumber(6), ".cell-code")).isEqualTo("Thread.sleep(120000)");
    }

    @Test
    @Order(11)
    void aSecondTabSeesTheSameSessionAndItsNewCellsLive() {
        String first = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        try {
            open("/sessions/" + session);
            waitUntil(Duration.ofSeconds(20), b -> b.findElements(By.cssSelector("#cells .cell")).size() == 8);
            WebElement cell = run("sql", "SELECT id, id % 3 AS bucket, round(rand(7), 4) AS score FROM range(6)");
            waitUntil(CELL, b -> "ok".equals(cell.getAttribute("data-state")));
        } finally {
            browser.close();
            browser.switchTo().window(first);
        }

        WebElement arrived = waitUntil(Duration.ofSeconds(10), b -> cellNumber(8));
        waitUntil(CELL, b -> "ok".equals(arrived.getAttribute("data-state")));
        assertThat(arrived.findElements(By.cssSelector("table.result tbody tr"))).hasSize(6);
        // What a person sees on a laptop after a few cells: the view ends at the editor, ready for the next one.
        chromium.screenshot("session-view");
        chromium.screenshotOfWholePage("session-view-full");
    }

    @Test
    @Order(12)
    void aSessionIsDeletedFromTheListWithAConfirmingSecondClick() {
        open("/sessions");
        WebElement delete = waitUntil(Duration.ofSeconds(10),
                b -> b.findElement(By.cssSelector("#sessions-body tr[data-session='" + session + "'] button.danger")));

        delete.click();
        assertThat(delete.getText()).isEqualTo("Really delete?");
        delete.click();

        waitUntil(Duration.ofSeconds(60), b -> b.findElement(By.id("sessions-empty")).isDisplayed());
        assertThat(gateway.livy(TOKEN).get("/sessions/" + session).status()).isEqualTo(404);
    }

    // ---- how a person works the page ---------------------------------------------------------------------------

    private static void open(String path) {
        browser.get(network.uri() + path + "?token=" + TOKEN);
    }

    /** Types {@code code} into the editor (choosing the language first when given) and runs it; returns its cell. */
    private static WebElement run(String kind, String code) {
        WebElement editor = editor();
        waitUntil(DRIVER_START, b -> b.findElement(By.cssSelector(".composer .run")).isEnabled());
        if (kind != null) {
            new Select(browser.findElement(By.cssSelector(".composer .kind-select"))).selectByValue(kind);
        }
        int next = browser.findElements(By.cssSelector("#cells .cell")).size();
        editor.sendKeys(code);
        editor.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
        return waitUntil(Duration.ofSeconds(10), b -> cellNumber(next));
    }

    private static WebElement editor() {
        return waitUntil(Duration.ofSeconds(20), b -> b.findElement(By.cssSelector(".composer textarea")));
    }

    private static void clearEditor() {
        script("const editor = document.querySelector('.composer textarea'); editor.value = '';");
    }

    private static WebElement cellNumber(int statementId) {
        return browser.findElement(By.cssSelector("#cells .cell[data-statement='" + statementId + "']"));
    }

    private static String stdout(WebElement cell) {
        return cell.findElements(By.cssSelector(".cell-output pre.stdout")).stream()
                .map(WebElement::getText).reduce("", String::concat).strip();
    }

    private static String text(WebElement parent, String css) {
        return parent.findElement(By.cssSelector(css)).getText().strip();
    }

    private static Object script(String js, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(js, arguments);
    }

    private static <T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, timeout, Duration.ofMillis(50))
                .ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }
}
