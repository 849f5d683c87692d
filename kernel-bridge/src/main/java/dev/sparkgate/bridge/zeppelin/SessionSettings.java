package dev.sparkgate.bridge.zeppelin;

import dev.sparkgate.client.RetryPolicy;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The sparkgate interpreter setting, as {@code interpreter-setting.json} declares it: where the gateway is, its
 * token, and the session to ask for. Every {@code spark.*} property with a value is a Spark conf of the session.
 *
 * @param reconnectTimeout how long the session's stream tries to get a dropped connection back before the paragraph
 *                         fails (the client's {@code RetryPolicy})
 * @param sessionRequest the Livy create request: a {@code shared} session, so that Scala, SQL and Python share it
 */
record SessionSettings(URI gatewayUrl, String token, Duration startTimeout, Duration reconnectTimeout,
                       Map<String, Object> sessionRequest, boolean impersonate) {

    static final String URL = "zeppelin.sparkgate.url";
    static final String TOKEN = "zeppelin.sparkgate.token";
    /** Whether each session is created as the Zeppelin user who runs it ({@code proxyUser}). */
    static final String IMPERSONATE = "zeppelin.sparkgate.impersonate";
    static final String START_TIMEOUT = "zeppelin.sparkgate.session.start_timeout";
    static final String IDLE_TIMEOUT = "zeppelin.sparkgate.session.idle_timeout";
    static final String RECONNECT_TIMEOUT = "zeppelin.sparkgate.reconnect_timeout";

    static final String DEFAULT_URL = "http://localhost:8998";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);
    static final Duration DEFAULT_RECONNECT_TIMEOUT = RetryPolicy.DEFAULT.giveUpAfter();

    /** Refuses a setting it cannot use with an {@link IllegalArgumentException} that names the property to fix. */
    static SessionSettings from(Properties properties) {
        return new SessionSettings(gatewayUrl(value(properties, URL)), value(properties, TOKEN),
                seconds(properties, START_TIMEOUT, DEFAULT_START_TIMEOUT),
                seconds(properties, RECONNECT_TIMEOUT, DEFAULT_RECONNECT_TIMEOUT), sessionRequest(properties),
                Boolean.parseBoolean(value(properties, IMPERSONATE)));
    }

    /** The create request for a session of {@code user}: as Livy's {@code proxyUser} when impersonating. */
    Map<String, Object> sessionRequestFor(String user) {
        if (!impersonate) {
            return sessionRequest;
        }
        Map<String, Object> request = new LinkedHashMap<>(sessionRequest);
        request.put("proxyUser", user);
        return request;
    }

    /** The client's retry for this setting: the default backoff, giving up after {@link #reconnectTimeout}. */
    RetryPolicy retry() {
        return RetryPolicy.givingUpAfter(reconnectTimeout);
    }

    private static URI gatewayUrl(String text) {
        String url = text == null ? DEFAULT_URL : text;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("The sparkgate interpreter's " + URL + " is '" + url + "', which is not "
                    + "an http(s) address: set it to the gateway's, for instance " + DEFAULT_URL + ".");
        }
        return uri;
    }

    private static Duration seconds(Properties properties, String key, Duration byDefault) {
        String text = value(properties, key);
        if (text == null) {
            return byDefault;
        }
        if (!text.matches("\\d{1,6}")) {
            throw new IllegalArgumentException("The sparkgate interpreter's " + key + " is '" + text
                    + "': set it to a number of seconds, for instance " + byDefault.toSeconds() + ".");
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }

    private static Map<String, Object> sessionRequest(Properties properties) {
        Map<String, String> conf = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = value(properties, key);
            if (key.startsWith("spark.") && value != null) {
                conf.put(key, value);
            }
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", "shared");
        // The driver runs in a JVM the gateway starts: its heap is sized from driverMemory, not from a conf.
        String driverMemory = conf.remove("spark.driver.memory");
        if (driverMemory != null) {
            request.put("driverMemory", driverMemory);
        }
        String idleTimeout = value(properties, IDLE_TIMEOUT);
        if (idleTimeout != null) {
            request.put("idleTimeout", idleTimeout);
        }
        request.put("conf", conf);
        return request;
    }

    /** A property's value; blank counts as unset, as Zeppelin shows an unset property as an empty field. */
    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
