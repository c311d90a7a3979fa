package io.ssegateway.core;

import java.time.Clock;

class LocalBrokerContractTest extends BrokerContractTest {
    @Override
    protected Broker newBroker(HistoryPolicy policy) {
        return new LocalBroker(policy, Clock.systemUTC());
    }
}
