package io.herald.protocol.testing;

import java.util.List;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * {@link LeakDetectionExtension} for jqwik properties, which JUnit Jupiter extensions do not reach: a property
 * whose tries leaked a buffer fails. Add with {@code @AddLifecycleHook(NoLeaks.class)} on the class.
 *
 * <p>Leaks recorded before the property started came from other tests (a module whose other tests do not check);
 * Netty's own log line has reported them, so they are set aside rather than blamed on this property.
 */
public final class NoLeaks implements AroundPropertyHook {

    /** Registered on a class: reaches every property in it (and in nested classes). */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        LeakDetectionExtension.requireInstalled();
        LeakDetectionExtension.collect(0);
        PropertyExecutionResult result = property.execute();
        List<String> leaks = LeakDetectionExtension.collect(3);
        if (leaks.isEmpty() || result.status() != PropertyExecutionResult.Status.SUCCESSFUL) {
            return result;
        }
        try {
            LeakDetectionExtension.failOnLeaks(leaks, "by property " + context.label());
            return result;
        } catch (AssertionError e) {
            return result.mapToFailed(e);
        }
    }
}
