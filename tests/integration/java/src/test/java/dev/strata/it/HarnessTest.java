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
        int[] ports = StrataBroker.freePorts(3);
        for (int p : ports) assertTrue(p > 0 && p < 65536);
        assertNotEquals(ports[0], ports[1]);
        assertNotEquals(ports[1], ports[2]);
        assertNotEquals(ports[0], ports[2]);
    }

    @Test
    void repoRootHoldsTheSources() {
        assertTrue(Files.isRegularFile(StrataBroker.repoRoot().resolve("CMakeLists.txt")),
                "repository root: " + StrataBroker.repoRoot());
    }
}
