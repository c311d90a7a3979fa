/**
 * The SSE side: the route in front of Micronaut's handler that serves event streams on the
 * Netty pipeline; each stream as who it is ({@code StreamIdentity}, {@code StreamKind}, what
 * status reads) and how its bytes reach the client ({@code StreamWriter}, its chunk, flush
 * batching, keepalive, its share of the outbound budget and {@code ClientCut} for a client it
 * cannot write to); the connection registry and the drain.
 */
package io.ssegateway.egress;
