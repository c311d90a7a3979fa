/**
 * Operations: {@code /status}, {@code /admin}, health indicators, metrics and the cluster
 * report.
 */
package io.ssegateway.status;
