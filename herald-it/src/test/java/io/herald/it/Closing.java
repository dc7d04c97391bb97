package io.herald.it;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes test resources in the order given, each even if an earlier one failed to close. */
final class Closing {
    private static final Logger log = LoggerFactory.getLogger(Closing.class);

    private Closing() {
    }

    static void inOrder(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource, e);
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
