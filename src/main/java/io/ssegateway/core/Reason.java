package io.ssegateway.core;

/**
 * Why a request was refused. Every ingress reports failures with one of these codes: HTTP maps
 * them to a status in one place, the control port answers {@code ERR <REASON> <message>}.
 */
public enum Reason {
    INVALID_NAMESPACE,
    INVALID_EVENT_TYPE,
    INVALID_EVENT_ID,
    INVALID_DATA,
    INVALID_BODY,
    INVALID_COMMAND,
    PAYLOAD_TOO_LARGE,
    TOO_MANY_TOPICS,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    DISABLED,
    TOO_MANY_CONNECTIONS,
    DRAINING,
    BROKER_UNAVAILABLE
}
