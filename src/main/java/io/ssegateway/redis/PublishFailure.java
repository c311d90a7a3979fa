package io.ssegateway.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;

import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * What a failed publish script call tells the caller: "nothing was stored" only when that is
 * certain, otherwise "the outcome is unknown". Under {@code CLIENT PAUSE} (what a failover does
 * to the old primary) every publish that timed out had been queued by Redis and ran when the
 * pause ended: a 503 ("retry") duplicated it.
 */
final class PublishFailure {
    /**
     * Error replies Redis gives before the script wrote anything: it refused the command
     * ({@code BUSY}, {@code LOADING}, {@code NOSCRIPT}, {@code NOPERM}...), or the script's first
     * write was denied and aborted it ({@code OOM} under {@code noeviction} with maxmemory
     * reached, {@code READONLY} on a demoted primary, {@code MISCONF}, {@code NOREPLICAS}). Redis
     * denies a script's writes only until its first write succeeds, so a script either wrote
     * nothing or everything.
     */
    private static final Set<String> REFUSED_BEFORE_ANY_WRITE = Set.of(
            "OOM", "BUSY", "LOADING", "NOSCRIPT", "READONLY", "MISCONF", "NOREPLICAS", "MASTERDOWN",
            "NOPERM", "NOAUTH", "WRONGPASS");
    /**
     * Lettuce's message for a command rejected while disconnected (never written to a socket).
     * No exception type of its own carries this, so the text is the only sign.
     */
    private static final String REJECTED_WHILE_DISCONNECTED = "Currently not connected";

    private PublishFailure() {
    }

    static GatewayException classify(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof GatewayException g) {
            return g;
        }
        if (cause instanceof RedisCommandTimeoutException) {
            return unknown("Redis did not answer in time", cause);
        }
        if (cause instanceof RedisCommandExecutionException) {
            String code = errorCode(cause.getMessage());
            if (REFUSED_BEFORE_ANY_WRITE.contains(code)) {
                return new GatewayException(Reason.BROKER_UNAVAILABLE, "Redis refused the event (" + code + ")", cause);
            }
            return unknown("the publish script failed", cause);
        }
        if (cause instanceof RedisConnectionException
                || cause instanceof RedisException && String.valueOf(cause.getMessage()).startsWith(REJECTED_WHILE_DISCONNECTED)) {
            return new GatewayException(Reason.BROKER_UNAVAILABLE, "Redis is not connected", cause);
        }
        // A connection lost with the command in flight ("Connection disconnected"), a
        // cancellation: Lettuce cannot say whether Redis received it.
        return unknown("the connection to Redis failed with the event in flight", cause);
    }

    private static GatewayException unknown(String what, Throwable cause) {
        return new GatewayException(Reason.PUBLISH_OUTCOME_UNKNOWN,
                what + ": the event may have been published; retry with the same Idempotency-Key", cause);
    }

    /** The first word of a Redis error reply, e.g. {@code OOM} of "OOM command not allowed...". */
    private static String errorCode(String message) {
        if (message == null) {
            return "";
        }
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
