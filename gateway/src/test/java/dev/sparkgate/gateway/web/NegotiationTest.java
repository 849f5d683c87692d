package dev.sparkgate.gateway.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Who gets the page at /sessions: browsers, and never a Livy client. */
class NegotiationTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // Chrome, Firefox, Safari as they navigate to a page
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
                    + "application/signed-exchange;v=b3;q=0.7",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "text/html, application/json;q=0.5",
            "TEXT/HTML",
    })
    void browsersGetThePage(String accept) {
        assertThat(Negotiation.wantsPage(accept)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "*/*",                                    // curl, python-requests (sparkmagic)
            "application/json",                       // Zeppelin's Livy interpreter, our own clients
            "application/json, text/plain, */*",      // axios and friends
            "application/json, text/html",            // JSON named first
            "text/html;q=0.5, application/json",      // JSON preferred
            "text/html;q=0",                          // HTML refused outright
            "text/*",                                 // a wildcard is no request for a page
            "   ",
    })
    void apiClientsKeepGettingJson(String accept) {
        assertThat(Negotiation.wantsPage(accept)).isFalse();
    }

    @Test
    void noAcceptHeaderMeansJson() {
        assertThat(Negotiation.wantsPage(null)).isFalse();
    }
}
