package io.ssegateway.redis;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a connection is, against the master a sentinel announced. */
class MasterFollowerTest {
    private static final InetSocketAddress ANNOUNCED = InetSocketAddress.createUnresolved("127.0.0.1", 6380);

    @Test
    void aConnectionToTheAnnouncedIpAndPortIsOnTheMaster() {
        assertTrue(MasterFollower.isAt(new InetSocketAddress("127.0.0.1", 6380), ANNOUNCED));
    }

    @Test
    void aConnectionMadeByHostnameIsMatchedByItsResolvedAddress() {
        assertTrue(MasterFollower.isAt(new InetSocketAddress("localhost", 6380),
                InetSocketAddress.createUnresolved(new InetSocketAddress("localhost", 6380).getAddress().getHostAddress(), 6380)));
    }

    @Test
    void anAnnouncedHostnameMatchesTheConnectionMadeToIt() {
        assertTrue(MasterFollower.isAt(new InetSocketAddress("localhost", 6380), InetSocketAddress.createUnresolved("localhost", 6380)));
    }

    @Test
    void anotherPortOrHostIsElsewhere() {
        assertFalse(MasterFollower.isAt(new InetSocketAddress("127.0.0.1", 6379), ANNOUNCED));
        assertFalse(MasterFollower.isAt(new InetSocketAddress("127.0.0.2", 6380), ANNOUNCED));
    }

    @Test
    void anUnknownServerIsElsewhere() {
        assertFalse(MasterFollower.isAt(null, ANNOUNCED));
    }
}
