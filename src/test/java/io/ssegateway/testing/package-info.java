/**
 * The test harness every suite shares: gateways on random ports, a real Redis found or started
 * ({@code RedisServer}), independent SSE clients and parsers (okhttp-sse, a raw socket reader,
 * a WHATWG parser), raw HTTP, tokens, metric scrapes, and waits on a condition with a timeout
 * instead of sleeps.
 */
package io.ssegateway.testing;
