package io.herald.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that each want a fresh standalone node of their own: one {@link StandaloneFixture} on a new
 * data directory per test method, closed after it.
 */
abstract class StandaloneNodeTest {
    @TempDir
    Path dataDir;
    StandaloneFixture herald;

    @BeforeEach
    void startNode() throws Exception {
        herald = new StandaloneFixture(dataDir);
    }

    @AfterEach
    void stopNode() {
        herald.close();
    }
}
