package io.ssegateway.core;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Callbacks told that something changed; one that throws does not keep the others from hearing. */
public final class ChangeListeners {
    private static final System.Logger LOG = System.getLogger(ChangeListeners.class.getName());

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void add(Runnable listener) {
        listeners.add(listener);
    }

    public void remove(Runnable listener) {
        listeners.remove(listener);
    }

    /** Runs every callback on the calling thread. */
    public void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "change listener failed", e);
            }
        }
    }
}
