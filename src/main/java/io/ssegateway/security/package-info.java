/**
 * Tokens and users: verification of JWTs for the API and the streams, login, the
 * development-mode token, and who may see which event.
 */
package io.ssegateway.security;
