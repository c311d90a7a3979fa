package io.ssegateway.core;

import java.util.List;

/** The cluster of one: the view used with the local broker. */
public final class LocalClusterView implements ClusterView {
    private final ChangeListeners listeners = new ChangeListeners();
    private volatile InstanceInfo self;

    public LocalClusterView(String instanceId) {
        this.self = new InstanceInfo(instanceId, 0);
    }

    @Override
    public String instanceId() {
        return self.id();
    }

    @Override
    public void report(int streams) {
        InstanceInfo now = new InstanceInfo(self.id(), streams);
        if (!now.equals(self)) {
            self = now;
            listeners.fire();
        }
    }

    @Override
    public List<InstanceInfo> instances() {
        return List.of(self);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
