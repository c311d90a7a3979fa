/**
 * Configuration records (the one home of each default; environment variables map to them by
 * Micronaut's convention, constraints checked at start-up), the names code refers to
 * ({@link io.ssegateway.config.Settings}), the factories that build the core from them, and the
 * launcher and logging set-up.
 */
package io.ssegateway.config;
