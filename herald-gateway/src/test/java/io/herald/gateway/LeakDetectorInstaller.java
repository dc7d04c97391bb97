package io.herald.gateway;

import io.herald.protocol.testing.LeakDetectionExtension;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link LeakDetectionExtension}'s recording leak detector when the test run starts, before any test
 * engine creates a buffer: Netty makes its {@code ByteBuf} leak detector once, and which engine (JUnit Jupiter or
 * jqwik) runs first is not fixed. The properties that check for leaks ({@code NoLeaks}) rely on it; the other
 * tests of this module only get Netty's usual "LEAK:" log line, as before. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class LeakDetectorInstaller implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakDetectionExtension.requireInstalled();
    }
}
