package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Checks of the test harness itself that need no broker. scripts/fetch_kafka_tools.sh
 * runs this class alone so that Maven downloads everything a test run needs
 * (Surefire resolves its JUnit provider only when it runs a test).
 */
class HarnessTest {
    @Test
    void freePortsAreUsable() throws Exception {
        int a = StrataBroker.freePort();
        int b = StrataBroker.freePort();
        assertTrue(a > 0 && a < 65536);
        assertTrue(b > 0 && b < 65536);
        assertNotEquals(0, a);
    }

    @Test
    void repoRootHoldsTheSources() {
        assertTrue(Files.isRegularFile(StrataBroker.repoRoot().resolve("CMakeLists.txt")),
                "repository root: " + StrataBroker.repoRoot());
    }
}
