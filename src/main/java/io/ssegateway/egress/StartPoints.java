package io.ssegateway.egress;

import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import io.ssegateway.core.StartPoint;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the {@code rewind} and {@code since} parameters of a first connect: {@code rewind} is
 * 1 to the replay limit; {@code since} is an RFC 3339 time ({@code 2026-03-01T12:00:00Z},
 * {@code 2026-03-01T13:00:00.250+01:00}) or epoch milliseconds. Anything else is a 400 that
 * says what is allowed.
 */
final class StartPoints {
    /** Digits of an epoch-milliseconds time up to the year 2286; more is not a time we hold. */
    private static final int MAX_MILLIS_DIGITS = 13;

    private StartPoints() {
    }

    static StartPoint parse(String rewind, String since, int replayLimit) {
        boolean hasRewind = rewind != null && !rewind.isEmpty();
        boolean hasSince = since != null && !since.isEmpty();
        if (hasRewind && hasSince) {
            throw new GatewayException(Reason.INVALID_PARAMETER, "use rewind or since, not both");
        }
        if (hasRewind) {
            return StartPoint.rewind(rewind(rewind, replayLimit));
        }
        if (hasSince) {
            return StartPoint.since(since(since));
        }
        return StartPoint.LIVE;
    }

    private static int rewind(String text, int replayLimit) {
        String refusal = "rewind must be a whole number from 1 to " + replayLimit;
        if (text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new GatewayException(Reason.INVALID_PARAMETER, refusal);
        }
        long n = Long.parseLong(text);
        if (n < 1 || n > replayLimit) {
            throw new GatewayException(Reason.INVALID_PARAMETER, refusal);
        }
        return (int) n;
    }

    private static long since(String text) {
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (text.length() > MAX_MILLIS_DIGITS) {
                throw new GatewayException(Reason.INVALID_PARAMETER, "since in epoch milliseconds has at most 13 digits");
            }
            return Long.parseLong(text);
        }
        try {
            // An unescaped '+' of an offset arrives as a space (form decoding); a time has no space.
            long millis = OffsetDateTime.parse(text.replace(' ', '+')).toInstant().toEpochMilli();
            if (millis < 0) {
                throw new GatewayException(Reason.INVALID_PARAMETER, "since must not be before 1970");
            }
            return millis;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new GatewayException(Reason.INVALID_PARAMETER,
                    "since must be an RFC 3339 time (2026-03-01T12:00:00Z) or epoch milliseconds");
        }
    }
}
