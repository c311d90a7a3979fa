package io.ssegateway.core;

/**
 * Where a new subscription starts: live only, after the client's {@code Last-Event-ID}, with
 * the newest {@code rewind} retained events, or with those published since a time.
 *
 * @param lastEventId the id the client sent, as sent (null: none); it wins over the others,
 *     since an EventSource that reconnects to a URL with {@code rewind} must resume, not rewind
 * @param rewind how many of the newest retained events to send first (0: none)
 * @param sinceMillis the earliest publish time of the events to send first (negative: none)
 */
public record StartPoint(String lastEventId, int rewind, long sinceMillis) {
    public static final StartPoint LIVE = new StartPoint(null, 0, -1);

    public static StartPoint resume(String lastEventId) {
        return lastEventId == null ? LIVE : new StartPoint(lastEventId, 0, -1);
    }

    public static StartPoint rewind(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("rewind must be positive");
        }
        return new StartPoint(null, count, -1);
    }

    public static StartPoint since(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("since must not be negative");
        }
        return new StartPoint(null, 0, millis);
    }
}
