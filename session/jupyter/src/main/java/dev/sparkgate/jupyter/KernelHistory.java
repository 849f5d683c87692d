package dev.sparkgate.jupyter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells this kernel ran, for {@code history_request}: {@code tail}, {@code range} and {@code search} (IPython's
 * glob patterns), with outputs when asked. History lives as long as the kernel; it is one history session,
 * numbered {@value #SESSION}.
 */
public final class KernelHistory {

    static final int SESSION = 1;

    private record Entry(int line, String input, String output) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Records a cell run as execution {@code line}; {@code output} is its result's text, or null. */
    public synchronized void add(int line, String input, String output) {
        entries.add(new Entry(line, input, output));
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** The {@code history} list of a {@code history_reply} to {@code request}. */
    public synchronized List<Object> answer(JupyterMessage request) {
        boolean output = request.flag("output", false);
        int n = request.integer("n", -1);
        List<Entry> selected = switch (request.text("hist_access_type", "tail")) {
            case "range" -> range(request.integer("start", 0), request.integer("stop", Integer.MAX_VALUE));
            case "search" -> search(request.text("pattern", "*"), request.flag("unique", false), n);
            default -> last(entries, n);
        };
        List<Object> history = new ArrayList<>();
        for (Entry entry : selected) {
            Object text = output ? Arrays.asList(entry.input(), entry.output()) : entry.input();
            history.add(List.of(SESSION, entry.line(), text));
        }
        return history;
    }

    private List<Entry> range(int start, int stop) {
        int end = stop <= 0 ? Integer.MAX_VALUE : stop;
        return entries.stream().filter(e -> e.line() >= start && e.line() < end).toList();
    }

    private List<Entry> search(String glob, boolean unique, int n) {
        Pattern pattern = globToRegex(glob);
        List<Entry> matches = entries.stream().filter(e -> pattern.matcher(e.input()).matches()).toList();
        if (unique) {
            // the latest run of each distinct input, in the order of those runs
            Map<String, Entry> latest = new LinkedHashMap<>();
            for (Entry entry : matches) {
                latest.remove(entry.input());
                latest.put(entry.input(), entry);
            }
            matches = List.copyOf(latest.values());
        }
        return last(matches, n);
    }

    private static List<Entry> last(List<Entry> list, int n) {
        return n < 0 || n >= list.size() ? List.copyOf(list) : List.copyOf(list.subList(list.size() - n, list.size()));
    }

    /** IPython searches with SQLite's GLOB: {@code *} and {@code ?}, case-sensitive, over the whole input. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
