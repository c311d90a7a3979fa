package io.ssegateway.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalClusterViewTest {

    @Test
    void theClusterIsThisInstanceAndAChangeIsHeardOnce() {
        LocalClusterView view = new LocalClusterView("solo");
        AtomicInteger changes = new AtomicInteger();
        view.onChange(changes::incrementAndGet);

        view.report(3);
        view.report(3);

        assertEquals(List.of(new InstanceInfo("solo", 3)), view.instances());
        assertEquals(3, view.totalStreams());
        assertEquals(1, changes.get());
    }

    @Test
    void newIdsAreDistinctAndSafeInKeysAndLogs() {
        String a = InstanceInfo.newId();
        String b = InstanceInfo.newId();
        assertTrue(a.matches("[A-Za-z0-9.-]{3,47}"), a);
        assertTrue(!a.equals(b));
    }
}
