package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.ssegateway.core.Broker;
import io.ssegateway.core.BrokerContractTest;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared broker contract against a real Redis; each broker has a key prefix of its own. */
class RedisBrokerContractTest extends BrokerContractTest {
    private static RedisClient client;

    @BeforeAll
    static void connect() {
        client = RedisTesting.client(RedisServer.shared().uri());
    }

    @AfterAll
    static void disconnect() {
        RedisTesting.shutdown(client);
    }

    @Override
    protected Broker newBroker(HistoryPolicy policy) {
        return RedisTesting.broker(client, policy);
    }
}
