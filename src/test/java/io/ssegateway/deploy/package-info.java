/**
 * What ships besides the jar, checked as it ships: the Helm chart rendered in-process, the
 * Dockerfile, docker-compose.yml, and the nginx configuration in a real nginx.
 */
package io.ssegateway.deploy;
