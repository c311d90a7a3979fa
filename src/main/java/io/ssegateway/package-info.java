/**
 * sse-gateway: a Server-Sent Events gateway. {@code core} is the engine (pure Java); the other
 * packages connect it to HTTP ({@code egress}, {@code ingress}), Redis ({@code redis}), tokens
 * ({@code security}), operations ({@code status}) and configuration ({@code config}).
 */
package io.ssegateway;
