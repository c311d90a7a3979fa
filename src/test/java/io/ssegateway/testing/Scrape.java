package io.ssegateway.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One scrape of {@code /prometheus}, read as series and values. */
public final class Scrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
        }
    }

    public static Scrape of(Gateway gateway) {
        Http.Reply reply = Http.get(gateway.url("/prometheus"), null);
        assertEquals(200, reply.status(), reply.body());
        return new Scrape(reply.body());
    }

    /** The value of the series with exactly these labels (name, value, name, value...), or null. */
    public Double value(String name, String... labels) {
        return samples.get(key(name, labelMap(labels)));
    }

    /** As {@link #value}, failing when the series is missing. */
    public double require(String name, String... labels) {
        Double v = value(name, labels);
        if (v == null) {
            throw new AssertionError("no series " + key(name, labelMap(labels)) + " in:\n" + text);
        }
        return v;
    }

    private static Map<String, String> labelMap(String... labels) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return m;
    }

    private static String key(String name, Map<String, String> labels) {
        return name + labels;
    }

    public String text() {
        return text;
    }
}
