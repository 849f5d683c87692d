package dev.sparkgate.gateway.web;

import dev.sparkgate.gateway.identity.OidcProvider;
import dev.sparkgate.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's "Sign in with" button in headless Chromium: on a gateway with an OIDC client, the sign-in form offers
 * the issuer; one click goes through the provider ({@link OidcProvider}, served by the test) and back to the page,
 * signed in as the provider's user with the HttpOnly sign-in cookie, showing the (empty) session list.
 */
class OidcBrowserSignInTest {

    private static final OidcProvider PROVIDER = new OidcProvider();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.withoutSession().with(PROVIDER.gatewaySettings())
            .with("SPARKGATE_TOKEN", "the-operators-token");

    @AfterAll
    static void stopProvider() {
        PROVIDER.close();
    }

    @Test
    void oneClickOnTheIssuersButtonSignsThePageIn() {
        PROVIDER.signsIn("grace", "team-a");
        try (HeadlessChromium chromium = HeadlessChromium.start("oidc-sign-in")) {
            WebDriver browser = chromium.driver();
            browser.get(gateway.baseUri().resolve("/sessions").toString());
            WebElement button = waitUntil(browser, b -> b.findElement(By.id("sign-in-oidc")));
            assertThat(button.getText()).isEqualTo("Sign in with " + PROVIDER.issuer());

            button.click();

            waitUntil(browser, b -> b.findElement(By.id("sessions-empty")).isDisplayed());
            assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("grace");
            assertThat(browser.getCurrentUrl()).isEqualTo(gateway.baseUri().resolve("/sessions").toString());
            Cookie cookie = browser.manage().getCookieNamed("sparkgate_sign_in");
            assertThat(cookie).isNotNull();
            assertThat(cookie.isHttpOnly()).isTrue();
            assertThat(chromium.consoleErrors()).as("the page's console").allMatch(message -> message.contains("401"));
        }
    }

    private static <T> T waitUntil(WebDriver browser, java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50))
                .ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }
}
