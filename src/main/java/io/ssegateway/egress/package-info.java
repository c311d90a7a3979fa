/**
 * The SSE side: the route in front of Micronaut's handler that serves event streams on the
 * Netty pipeline; each stream as who it is ({@code StreamIdentity}, {@code StreamKind}, what
 * status reads) and how its bytes reach the client ({@code StreamWriter}, its chunk, flush
 * batching, keepalive and its share of the outbound budget); the connection registry and the
 * drain.
 */
package io.ssegateway.egress;
