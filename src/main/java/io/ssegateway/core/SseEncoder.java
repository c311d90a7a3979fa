package io.ssegateway.core;

import java.nio.charset.StandardCharsets;

/**
 * Writes events in the {@code text/event-stream} format (WHATWG HTML, section 9.2).
 *
 * <p>The gateway owns this encoder rather than using the framework's: the data of an event is
 * split on every line terminator the format knows ({@code \r\n}, {@code \r} and {@code \n}),
 * each piece becoming its own {@code data:} line. A terminator left inside a field would let
 * the payload end the field and start a forged one.
 *
 * <p>The id and the type come validated from {@link EventId} and {@link EventDraft}; they are
 * checked again here because this is the last line of defence before the wire.
 */
public final class SseEncoder {
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseEncoder() {
    }

    /**
     * One event: {@code id:} (when not null), {@code event:} (unless {@code message}),
     * {@code retry:} (when not null), one {@code data:} line per payload line, and a blank line.
     */
    public static byte[] encode(String id, String type, String data, Long retry) {
        StringBuilder out = new StringBuilder(data.length() + 64);
        if (id != null) {
            field(out, "id", id);
        }
        if (type != null && !type.equals(EventDraft.DEFAULT_TYPE)) {
            field(out, "event", type);
        }
        if (retry != null) {
            out.append("retry: ").append(retry.longValue()).append('\n');
        }
        int start = 0;
        int n = data.length();
        for (int i = 0; i < n; i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < n && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.append("data: ").append(data, start, n).append("\n\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The opening of every stream: the reconnection delay, flushed at once. */
    public static byte[] retry(long millis) {
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sent on an idle stream so proxies and clients see the connection is alive. */
    public static byte[] keepalive() {
        return KEEPALIVE.clone();
    }

    private static void field(StringBuilder out, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                // CR or LF would end the field early: SSE field injection.
                throw new GatewayException(Reason.INVALID_EVENT_ID, name + " must not contain CR, LF or NUL");
            }
        }
        out.append(name).append(": ").append(value).append('\n');
    }
}
