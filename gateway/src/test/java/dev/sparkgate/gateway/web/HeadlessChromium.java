package dev.sparkgate.gateway.web;

import dev.sparkgate.testkit.OutsideTools;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: nothing is downloaded (Selenium Manager is
 * never asked, and the build sets {@code SE_OFFLINE=true} besides). Without the browser the tests are skipped, naming
 * the packages, and listed at the end of the run; in CI (which installs it) they fail instead: see testkit.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = OutsideTools.CHROMIUM_PATH;
    static final Path CHROMEDRIVER = OutsideTools.CHROMEDRIVER_PATH;
    /** A common laptop screen: the page must be readable at this size. */
    static final Dimension LAPTOP = new Dimension(1366, 768);

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    static HeadlessChromium start(String name) {
        OutsideTools.CHROMIUM.require();
        Path profile = buildDir().resolve("chromium-profiles").resolve(name + "-" + System.nanoTime());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=" + LAPTOP.getWidth() + "," + LAPTOP.getHeight());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(buildDir().resolve("chromedriver-" + name + ".log").toFile())
                .build();
        return new HeadlessChromium(new ChromeDriver(service, options));
    }

    WebDriver driver() {
        return driver;
    }

    /** Saves what the page shows now as {@code target/screenshots/<name>.png}, for a person to look at. */
    Path screenshot(String name) {
        Path file = buildDir().resolve("screenshots").resolve(name + ".png");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The whole page, however long, by growing the window to it for the moment of the screenshot. */
    Path screenshotOfWholePage(String name) {
        Dimension before = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight;");
        int chrome = before.getHeight() - ((Number) driver.executeScript("return window.innerHeight;")).intValue();
        driver.manage().window().setSize(new Dimension(before.getWidth(), height.intValue() + chrome));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /**
     * The page's errors since the last call: script errors and refusals are bugs even when the page looks right. A
     * connection the network failed is not the page's doing (and a test that cuts the network makes some on purpose).
     */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("WebSocket connection to") && !message.contains("net::ERR_"))
                .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }

    static Path buildDir() {
        return Path.of(System.getProperty("sparkgate.test.work", "target/test-work")).toAbsolutePath().getParent();
    }
}
