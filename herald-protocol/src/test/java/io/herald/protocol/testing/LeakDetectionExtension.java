package io.herald.protocol.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Netty's leak reports into test failures. Netty's detector only logs "LEAK:" when a tracked buffer is
 * garbage-collected unreleased, which a green build would hide; this extension installs a detector factory that
 * records the reports and fails the build on any. After each test it fails on leaks the detector has already
 * seen; after each test class it forces garbage collection first, so a leak from a class fails that class at
 * the latest (the report's access records name the code that touched the buffer last). A forced collection
 * after every test would be more precise but costs tens of milliseconds per test case.
 *
 * <p>Registered for every test of the module through {@code junit-platform.properties} (extension
 * autodetection), so it is loaded before any test touches a buffer: Netty creates the {@link ByteBuf} detector
 * once, when the buffer classes are first initialised, and a factory installed after that would never be used.
 * {@link #beforeAll} checks that it was in time.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean byteBufDetectorInstalled;

    static {
        // Surefire passes -Dio.netty.leakDetection.level=paranoid; set it here too for runs from an IDE.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        requireInstalled();
    }

    /**
     * Installs the recording detector factory (loading this class does) and checks that it came in time, before
     * Netty created its {@link ByteBuf} detector. For test engines other than JUnit Jupiter (jqwik) and modules
     * that install it from a launcher session listener.
     */
    public static void requireInstalled() {
        ByteBufAllocator.DEFAULT.buffer(1).release(); // initialises the buffer classes if nothing has yet
        if (!byteBufDetectorInstalled) {
            throw new IllegalStateException("Netty's ByteBuf leak detector was created before "
                    + LeakDetectionExtension.class.getSimpleName() + " was loaded; leaks would go unnoticed");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks(collect(0), "after " + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnLeaks(collect(3), "after all tests of " + context.getDisplayName());
    }

    /**
     * Runs the garbage collector {@code gcRounds} times (0: not at all), lets the detector look at what was
     * collected, and returns (and forgets) every leak reported so far.
     */
    public static List<String> collect(int gcRounds) {
        for (int i = 0; i < gcRounds; i++) {
            System.gc();
            if (gcRounds > 1) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            // The detector polls its reference queue when a new buffer is tracked (every buffer, at PARANOID).
            ByteBufAllocator.DEFAULT.buffer(1).release();
        }
        ByteBufAllocator.DEFAULT.buffer(1).release();
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.removeAll(leaks);
        return leaks;
    }

    /** Throws an {@link AssertionError} listing the leaks, if there are any. */
    public static void failOnLeaks(List<String> leaks, String when) {
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " buffer leak(s) detected " + when + ":\n"
                    + String.join("\n\n", leaks));
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            if (resource == ByteBuf.class) {
                byteBufDetectorInstalled = true;
            }
            return new RecordingDetector<>(resource, samplingInterval);
        }

        /** Abstract in Netty, though deprecated; maxActive is ignored by Netty's own detectors as well. */
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // record even when error logging is off
        }

        // Netty's own "LEAK:" log line too, for tests that do not check (a module that installs this detector
        // for its property tests runs its other tests with it as well).
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " was garbage-collected without release():" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " was garbage-collected without release() (no access records)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
