/**
 * The browser client the gateway serves: {@code /sse-gateway.js}, an EventSource that all tabs
 * of a browser share over one connection.
 */
package io.ssegateway.client;
