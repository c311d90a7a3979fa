/**
 * The Redis broker: pub/sub link, Streams history and the Lua scripts (as resources) that
 * store and publish atomically, and the instance registry for cluster-wide status.
 */
package io.ssegateway.redis;
