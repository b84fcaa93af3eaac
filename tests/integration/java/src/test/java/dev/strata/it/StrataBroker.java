package dev.strata.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One real build/strata process for a test class: a fresh temporary data
 * directory, free 127.0.0.1 ports, stderr captured to a log file. Register it as
 * a static {@code @RegisterExtension} field; it starts before the first test
 * and is stopped (SIGTERM, then SIGKILL after 10 s) after the last one. When a
 * test fails, the tail of the broker log is printed next to the failure.
 *
 * <p>The binary comes from the system property {@code strata.binary}, else the
 * environment variable {@code STRATA_BINARY}, else {@code build/strata} under
 * the repository root.
 */
public final class StrataBroker implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    public static final int NODE_ID = 1;

    private final List<String> overrides;
    private Path tempDir;
    private Path logFile;
    private Process process;
    private int port;
    private int adminPort;
    private int registryPort;
    private Thread shutdownHook;
    private Admin sharedAdmin;

    public StrataBroker(String... overrides) {
        this.overrides = List.of(overrides);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The schema registry's REST API (Confluent's), e.g. for schema.registry.url. */
    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** Client properties with bootstrap.servers set; callers add the rest. */
    public Properties clientProps() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return p;
    }

    public Admin admin() {
        Properties p = clientProps();
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(p);
    }

    /** One Admin client for the whole test class, closed before the broker stops. */
    public synchronized Admin sharedAdmin() {
        if (sharedAdmin == null) sharedAdmin = admin();
        return sharedAdmin;
    }

    static Path repoRoot() {
        String root = System.getProperty("strata.repo.root");
        if (root != null && !root.isBlank() && !root.startsWith("${")) {
            return Paths.get(root).toAbsolutePath().normalize();
        }
        // Running from tests/integration/java without Maven's properties.
        return Paths.get("").toAbsolutePath().resolve("../../..").normalize();
    }

    static Path binary() {
        String prop = System.getProperty("strata.binary");
        if (prop != null && !prop.isBlank() && !prop.startsWith("${")) {
            return Paths.get(prop);
        }
        String env = System.getenv("STRATA_BINARY");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return repoRoot().resolve("build/strata");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        synchronized (this) {
            if (sharedAdmin != null) sharedAdmin.close();
            sharedAdmin = null;
        }
        int exit = stop();
        deleteTree(tempDir);
        if (exit != 0) {
            throw new AssertionError("strata exited with status " + exit + " after SIGTERM");
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("---- last lines of the broker log (" + logFile + ") after "
                + context.getDisplayName() + " failed ----");
        System.err.println(String.join("\n", tail(150)));
        System.err.println("---- end of broker log ----");
    }

    public void start() throws IOException, InterruptedException {
        tempDir = Files.createTempDirectory("strata-java-it-");
        logFile = tempDir.resolve("broker.log");
        int[] ports = freePorts(3);
        port = ports[0];
        adminPort = ports[1];
        registryPort = ports[2];
        launch();
    }

    /**
     * Stops the broker with SIGTERM, asserts it exited with status 0, and starts
     * it again on the same data directory and ports.
     */
    public void restart() throws IOException, InterruptedException {
        int exit = stop();
        if (exit != 0) {
            throw new AssertionError("strata exited with status " + exit + " after SIGTERM; log:\n"
                    + String.join("\n", tail(50)));
        }
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        Path bin = binary();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("strata binary not found or not executable: " + bin.toAbsolutePath()
                    + " (build it with `ninja -C build strata`, or set -Dstrata.binary / STRATA_BINARY)");
        }
        Path dataDir = tempDir.resolve("data");
        List<String> cmd = new ArrayList<>(List.of(bin.toAbsolutePath().toString(),
                "--override", "log.dirs=" + dataDir,
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "admin.listeners=http://127.0.0.1:" + adminPort,
                "--override", "schema.registry.listeners=http://127.0.0.1:" + registryPort));
        for (String o : overrides) {
            cmd.add("--override");
            cmd.add(o);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
        Process started = process;
        shutdownHook = new Thread(started::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("strata exited at start-up with status " + process.exitValue()
                        + "; log:\n" + String.join("\n", tail(50)));
            }
            if (acceptsConnections(port)) {
                return;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("strata did not accept connections within 15 s; log:\n"
                + String.join("\n", tail(50)));
    }

    /** SIGTERM, wait up to 10 s, then SIGKILL. Returns the exit status (-1 when not running). */
    public int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        process.destroy();
        int exit;
        if (process.waitFor(10, TimeUnit.SECONDS)) {
            exit = process.exitValue();
        } else {
            System.err.println("strata did not exit within 10 s of SIGTERM; killing it");
            process.destroyForcibly().waitFor();
            exit = 137;
        }
        process = null;
        if (shutdownHook != null) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            shutdownHook = null;
        }
        return exit;
    }

    public List<String> tail(int lines) {
        try {
            if (logFile == null || !Files.exists(logFile)) {
                return List.of();
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(could not read broker log: " + e + ")");
        }
    }

    /** The whole broker log so far, for tests that look for a specific line. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /**
     * {@code n} distinct free ports: all are held open until every one is
     * chosen, since a port closed at once can be handed out again (two
     * listeners of one broker on one port stopped it at start-up).
     */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) s.close();
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp dir is not a test failure.
        }
    }
}
