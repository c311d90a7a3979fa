package io.ssegateway.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The event stream interpretation of WHATWG HTML §9.2.6, written from the specification so
 * that the gateway's encoder is checked against the standard rather than against itself.
 * Lines end with CRLF, CR or LF; a blank line dispatches; {@code :} starts a comment; one space
 * after the colon is dropped; an unknown field is ignored; an {@code id} with NUL is ignored;
 * {@code retry} counts only when all digits. What follows the last blank line is not an event.
 */
public final class SseParser {
    /** A dispatched event: the last event id at the time, the type, the data. */
    public record Parsed(String id, String type, String data) {
    }

    private final List<Parsed> events = new ArrayList<>();
    private String lastId = "";
    private StringBuilder data = new StringBuilder();
    private String type = "";
    private Long retry;

    private SseParser() {
    }

    /** Parses a whole stream's text. */
    public static SseParser parse(String stream) {
        SseParser p = new SseParser();
        String s = stream.startsWith("\uFEFF") ? stream.substring(1) : stream;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                p.line(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return p;
    }

    public List<Parsed> events() {
        return events;
    }

    /** The last valid {@code retry} value, or null. */
    public Long retry() {
        return retry;
    }

    private void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    retry = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
                }
            }
            default -> { }
        }
    }

    private void dispatch() {
        if (data.isEmpty()) {
            type = "";
            return;
        }
        String d = data.substring(0, data.length() - 1);
        events.add(new Parsed(lastId, type.isEmpty() ? "message" : type, d));
        data = new StringBuilder();
        type = "";
    }
}
