package io.ssegateway.testing;

/** Teardown of a test class's shared resources, also when the class was skipped before it made them. */
public final class Closing {
    private Closing() {
    }

    /** Closes each in order, skipping those never made (null). */
    public static void inOrder(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
