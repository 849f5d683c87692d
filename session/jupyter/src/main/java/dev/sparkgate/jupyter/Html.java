package dev.sparkgate.jupyter;

/** Text made safe to put inside HTML elements and attribute values. */
final class Html {

    private Html() {
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
