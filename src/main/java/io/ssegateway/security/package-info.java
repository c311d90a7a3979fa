/**
 * Tokens and users: verification of JWTs for the API and the streams, login, the
 * development-mode token, and who may see which event. The HTTP API's side of Micronaut
 * Security lives here too: the one token validator and reader, the refusal of a
 * {@code @Secured} route, the login provider and the signature the token generator uses.
 */
package io.ssegateway.security;
