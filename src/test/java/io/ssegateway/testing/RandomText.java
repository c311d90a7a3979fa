package io.ssegateway.testing;

import java.util.Random;

/**
 * Hostile strings for property tests: ASCII, every C0 control, DEL, line breaks in all their
 * spellings, the Unicode line and paragraph separators, NEL, BOM, valid surrogate pairs and lone
 * surrogates, and text that looks like SSE fields, namespaces or JSON. Seeded, so a failure
 * repeats with the seed it prints.
 */
public final class RandomText {
    private static final String[] PIECES = {
        "\r", "\n", "\r\n", "\n\r", "\u2028", "\u2029", "\u0085", "\uFEFF", "\0", "\t", " ", ":",
        "id: 1", "event: x", "data: y", "retry: 1", ": c", "/", "//", "..", ".", "%0A", "%00", "\\", "\"",
        "\uD83D\uDE00", "\uD800", "\uDFFF", "é", "\u00A0", "/pets", "/pets/cats", "a-b_c.d~e@f:g", "{", "}", "[", "]",
    };

    private final Random random;

    public RandomText(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** A string of up to {@code maxPieces} pieces: single characters of any kind and the pieces above. */
    public String next(int maxPieces) {
        int n = random.nextInt(maxPieces + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(5)) {
                case 0 -> s.append(PIECES[random.nextInt(PIECES.length)]);
                case 1 -> s.append((char) random.nextInt(0x80));
                case 2 -> s.append((char) (0x20 + random.nextInt(0x5F)));
                case 3 -> s.append((char) random.nextInt(0x10000));
                default -> s.append("abcdefghijklmnopqrstuvwxyz0123456789-._".charAt(random.nextInt(39)));
            }
        }
        return s.toString();
    }

    /** Mostly {@link #next}, sometimes one of {@code usual}, so valid inputs are hit too. */
    public String nextOr(int maxPieces, String... usual) {
        return random.nextInt(3) == 0 ? usual[random.nextInt(usual.length)] : next(maxPieces);
    }

    /** {@code text} with every character outside printable ASCII as a Java escape, for failure messages. */
    public static String show(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                s.append(c);
            } else {
                s.append(String.format("\\u%04x", (int) c));
            }
        }
        return s.append('"').toString();
    }

    /** {@code text} as Java's UTF-8 encoder sends it: each lone surrogate becomes {@code ?}. */
    public static String asSent(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Line breaks as an SSE client reports them: CRLF and CR become LF. */
    public static String normalised(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }
}
