package dev.sparkgate.gateway.web;

import java.util.Locale;

/**
 * Who asks for {@code /sessions}: a person's browser or an API client. Browsers send
 * {@code Accept: text/html,application/xhtml+xml,...}; curl sends {@code *}{@code /*}; sparkmagic and Zeppelin send
 * {@code application/json} or nothing. Only an Accept that names {@code text/html} itself, and prefers it to
 * {@code application/json}, gets the page: a wildcard never does, so no Livy client is ever handed HTML.
 */
public final class Negotiation {

    private Negotiation() {
    }

    public static boolean wantsPage(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double html = -1;
        double json = -1;
        int htmlAt = -1;
        int jsonAt = -1;
        String[] ranges = accept.split(",");
        for (int i = 0; i < ranges.length; i++) {
            String[] parts = ranges[i].split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            if (type.equals("text/html") && htmlAt < 0) {
                html = q;
                htmlAt = i;
            } else if (type.equals("application/json") && jsonAt < 0) {
                json = q;
                jsonAt = i;
            }
        }
        if (html <= 0) {
            return false;
        }
        // Equal preference: the one listed first wins, as a client writes its favourite first.
        return json < 0 || html > json || (html == json && htmlAt < jsonAt);
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
