package io.ssegateway.egress;

/**
 * What kind of stream a route serves, declared by the route so that readers such as
 * {@code /status} need not guess it from the request path.
 */
public enum StreamKind {
    /**
     * {@code /subscribe/...}: a client's subscription to namespaces. Its path names the
     * namespace, so status counts all of them under one endpoint (the namespaces are counted on
     * their own).
     */
    SUBSCRIBE,
    /** A stream the gateway makes itself, such as the demo streams; counted per path. */
    BUILT_IN
}
