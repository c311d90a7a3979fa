/**
 * Several gateway instances on one Redis, as behind a load balancer: fan-out, resume and
 * idempotency across instances, and what they do through Redis trouble (a killed link, a
 * restart, a flush, Sentinel failover) and when a publish outcome is unknown.
 */
package io.ssegateway.cluster;
