/**
 * The SSE side: the route in front of Micronaut's handler that serves event streams on the
 * Netty pipeline, the stream writer with its bounds, the connection registry and the drain.
 */
package io.ssegateway.egress;
