/**
 * Ways in for publishers: the HTTP publish controllers, the control port, the FIFO reader,
 * and the HTTP error and CORS handling they share.
 */
package io.ssegateway.ingress;
