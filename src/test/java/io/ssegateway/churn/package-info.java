/**
 * The rolling-restart run (tagged {@code churn}, out of the default run): gateway processes
 * stopped and started under real EventSources (headless Chromium and the npm
 * {@code eventsource} package), through nginx and straight, with a ledger of every event.
 */
package io.ssegateway.churn;
