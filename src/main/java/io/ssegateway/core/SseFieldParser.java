package io.ssegateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads text in the {@code text/event-stream} field format, as a browser would (WHATWG HTML,
 * section 9.2.6): lines end at CRLF, CR or LF; a line starting with {@code :} is a comment;
 * {@code name: value} loses one space after the colon; several {@code data:} lines are joined
 * with LF; a blank line ends an event; an event without data is not one.
 *
 * <p>Used for payloads that other tools publish straight into Redis. One difference from a
 * stream: the end of the text also ends the event in progress, since a payload is complete.
 */
public final class SseFieldParser {
    private static final String[] FIELD_STARTS = {"event:", "data:", "id:", "retry:"};

    /**
     * One event as read.
     *
     * @param type the {@code event:} field, or null when absent or empty
     * @param data the {@code data:} lines joined with LF
     * @param id the {@code id:} field, or null
     * @param retry the {@code retry:} field when it was all ASCII digits, or null
     */
    public record Fields(String type, String data, String id, Long retry) {
    }

    private SseFieldParser() {
    }

    /** True when the first line starts with {@code event:}, {@code data:}, {@code id:} or {@code retry:}. */
    public static boolean looksLikeFields(String text) {
        for (String start : FIELD_STARTS) {
            if (text.startsWith(start)) {
                return true;
            }
        }
        return false;
    }

    /** The events in {@code text}, in order. */
    public static List<Fields> parse(String text) {
        List<Fields> events = new ArrayList<>();
        Builder event = new Builder();
        int n = text.length();
        int start = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        while (start < n) {
            int end = start;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            event.line(text.substring(start, end), events);
            if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
                end++;
            }
            start = end + 1;
        }
        event.dispatch(events);
        return events;
    }

    /** The buffers of the event being read. */
    private static final class Builder {
        private String type;
        private StringBuilder data;
        private String id;
        private Long retry;

        void line(String line, List<Fields> events) {
            if (line.isEmpty()) {
                dispatch(events);
                return;
            }
            if (line.charAt(0) == ':') {
                return;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (name) {
                case "event" -> type = value.isEmpty() ? null : value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                // The standard ignores an id holding NUL: it could not be sent back in a header.
                case "id" -> id = value.indexOf('\0') < 0 ? value : id;
                case "retry" -> retry = digits(value, retry);
                default -> {
                    // Unknown fields are ignored, as a browser does.
                }
            }
        }

        void dispatch(List<Fields> events) {
            if (data != null) {
                events.add(new Fields(type, data.toString(), id, retry));
            }
            type = null;
            data = null;
            retry = null;
        }

        private static Long digits(String value, Long otherwise) {
            if (value.isEmpty() || value.length() > 18) {
                return otherwise;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    return otherwise;
                }
            }
            return Long.parseLong(value);
        }
    }
}
