/**
 * Demo streams for testing SSE clients: {@code /stream}, {@code /api/time} and
 * {@code /api/client-count}.
 */
package io.ssegateway.demo;
