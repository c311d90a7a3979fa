/**
 * The engine, in pure Java with no Micronaut, Netty or Lettuce import (a test checks it):
 * namespaces, events and their ids, the SSE encoder, the {@code Broker} SPI with its local
 * implementation, the hub that fans events out, what each subscriber may see
 * ({@code Interest}), subscriptions with their exact replay-to-live handoff, and the one
 * {@code Publisher} path every ingress uses; {@code Metrics} is the one observer they all
 * report to, a no-op unless the server registers one.
 */
package io.ssegateway.core;
