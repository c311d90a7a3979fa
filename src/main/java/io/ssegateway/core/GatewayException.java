package io.ssegateway.core;

/** A refusal with a {@link Reason}; the message is safe to show to the caller. */
public class GatewayException extends RuntimeException {
    private final Reason reason;

    public GatewayException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public GatewayException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
