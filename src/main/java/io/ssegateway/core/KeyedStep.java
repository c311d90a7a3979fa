package io.ssegateway.core;

/**
 * One event of a request that carries an {@link IdempotencyKey}: the {@code index}-th of
 * {@code total}, published by the attempt {@code attempt} (a random id per request). A batch is
 * several steps; the record of the key grows with each, so a retry of a batch that stopped
 * half-way publishes only what is missing.
 */
public record KeyedStep(IdempotencyKey key, String attempt, int index, int total) {
}
