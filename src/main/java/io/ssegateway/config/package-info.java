/**
 * Configuration records (one home per default, environment overrides in application.yml)
 * and the factories that build the core from them.
 */
package io.ssegateway.config;
