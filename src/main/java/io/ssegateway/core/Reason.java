package io.ssegateway.core;

/**
 * Why a request was refused. Every ingress reports failures with one of these codes; this enum
 * is the one place that maps them to HTTP statuses ({@link Refusal} renders the answer), and
 * the control port answers {@code ERR <REASON> <message>}.
 */
public enum Reason {
    INVALID_NAMESPACE(400),
    INVALID_EVENT_TYPE(400),
    INVALID_EVENT_ID(400),
    INVALID_DATA(400),
    INVALID_BODY(400),
    INVALID_COMMAND(400),
    TOO_MANY_TOPICS(400),
    /** A query parameter outside what it may be ({@code rewind=0}, a {@code since} that is no time). */
    INVALID_PARAMETER(400),
    /** The request line or headers could not be read as HTTP (a bad percent-escape, say). */
    MALFORMED_REQUEST(400),
    INVALID_IDEMPOTENCY_KEY(400),
    PAYLOAD_TOO_LARGE(413),
    /** One publish request would store more history than {@code sse.max-publish-bytes}. */
    PUBLISH_TOO_LARGE(413),
    URI_TOO_LONG(414),
    HEADERS_TOO_LARGE(431),
    /** A Transfer-Encoding other than a single {@code chunked} (RFC 9112 §6.1). */
    UNSUPPORTED_TRANSFER_CODING(501),
    /** The request head did not arrive within {@code sse.request-head-timeout}: a slow-header trickle. */
    REQUEST_TIMEOUT(408),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    /** A request with this {@code Idempotency-Key} is still being published. */
    IDEMPOTENCY_KEY_IN_USE(409),
    /** The {@code Idempotency-Key} was used with a different request. */
    IDEMPOTENCY_KEY_MISMATCH(422),
    /** A method the path does not take, or one switched off in the configuration (with {@code Allow}). */
    METHOD_NOT_ALLOWED(405),
    /** Too many attempts from one client or at one user name; the answer says when to come back. */
    TOO_MANY_REQUESTS(429),
    /**
     * A feature this gateway cannot offer as configured: {@code /login} with only a JWK set, which
     * has no secret to sign with. SPEC §4: {@code /login} answers 200 with a token, or 401.
     */
    DISABLED(401),
    TOO_MANY_CONNECTIONS(503),
    DRAINING(503),
    /** The broker could not take the event: it is certain that nothing was published. */
    BROKER_UNAVAILABLE(503),
    /**
     * The broker was asked but did not answer (a timeout after the command was sent, a
     * connection lost with it in flight): the event may have been published. Retrying is safe
     * only with the same {@code Idempotency-Key}.
     */
    PUBLISH_OUTCOME_UNKNOWN(504),
    /** Something failed inside the gateway; the answer says nothing of what, the log does. */
    INTERNAL(500);

    private final int httpStatus;

    Reason(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The reason given to a refusal the HTTP framework makes on its own (no route, a wrong method,
     * a body over the server's limit), by its status; null for a status no reason stands for,
     * which is then named after the status.
     */
    public static Reason forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 429 -> TOO_MANY_REQUESTS;
            case 431 -> HEADERS_TOO_LARGE;
            case 500 -> INTERNAL;
            default -> null;
        };
    }
}
