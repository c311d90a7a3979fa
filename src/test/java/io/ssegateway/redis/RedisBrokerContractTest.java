package io.ssegateway.redis;

import io.ssegateway.core.Broker;
import io.ssegateway.core.BrokerContractTest;
import io.ssegateway.core.HistoryPolicy;

/** The shared broker contract against a real Redis; each broker has a key prefix of its own. */
class RedisBrokerContractTest extends BrokerContractTest {

    @Override
    protected Broker newBroker(HistoryPolicy policy) {
        return RedisTesting.broker(RedisTesting.sharedClient(), policy);
    }
}
