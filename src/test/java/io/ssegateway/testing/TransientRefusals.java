package io.ssegateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks a stream request refused for now in the form a browser's EventSource survives (SPEC §3):
 * {@code 200 text/event-stream} with the stream's headers, a comment naming the reason, a
 * {@code retry:}, no event, a complete chunked body, and the connection closed.
 */
public final class TransientRefusals {
    private static final Pattern BODY = Pattern.compile(": ([a-z-]+)\nretry: ([0-9]+)\n\n");

    private TransientRefusals() {
    }

    /** Sends {@code GET path} to the gateway; returns the response head (lower-cased) and body. */
    public static Refusal read(int port, String path, String... headerLines) {
        return read(true, port, path, headerLines);
    }

    /**
     * As {@link #read}, through a proxy: it may keep the client's connection open after the end
     * of the body, as nginx does, and the EventSource reconnects all the same.
     */
    public static Refusal readThroughProxy(int port, String path, String... headerLines) {
        return read(false, port, path, headerLines);
    }

    private static Refusal read(boolean closes, int port, String path, String... headerLines) {
        try (RawSse raw = new RawSse(port, path, headerLines)) {
            String text = raw.readUntil("\r\n0\r\n\r\n");
            if (closes) {
                assertTrue(raw.readsToTheEnd(), "the connection closes after the refusal");
            }
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end).toLowerCase(Locale.ROOT);
            String body = RawHttp.dechunk(text.substring(end + 4));
            return new Refusal(head, body, !closes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts a refusal for {@code reason} and returns its {@code retry:} in milliseconds. */
    public static long assertRefusedForNow(int port, String path, String reason, String... headerLines) {
        return assertRefusal(read(port, path, headerLines), path, reason);
    }

    /** As {@link #assertRefusedForNow}, through a proxy (see {@link #readThroughProxy}). */
    public static long assertRefusedForNowThroughProxy(int port, String path, String reason, String... headerLines) {
        return assertRefusal(readThroughProxy(port, path, headerLines), path, reason);
    }

    private static long assertRefusal(Refusal refusal, String path, String reason) {
        refusal.assertStreamHead();
        Matcher m = BODY.matcher(refusal.body());
        if (!m.matches()) {
            fail(path + ": body is not one comment and a retry: " + refusal.body());
        }
        assertEquals(reason, m.group(1), path);
        return Long.parseLong(m.group(2));
    }

    /** {@code proxied}: nginx consumes {@code X-Accel-Buffering}, the header meant for it. */
    public record Refusal(String head, String body, boolean proxied) {
        public void assertStreamHead() {
            assertTrue(head.startsWith("http/1.1 200 "), head);
            assertTrue(head.contains("\r\ncontent-type: text/event-stream"), head);
            assertTrue(head.contains("\r\ncache-control: no-cache"), head);
            assertTrue(proxied || head.contains("\r\nx-accel-buffering: no"), head);
            assertTrue(head.contains("\r\ntransfer-encoding: chunked"), head);
        }
    }
}
