package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Apache Kafka's command-line tools (fetched by scripts/fetch_kafka_tools.sh
 * into .tools/kafka/bin) against one broker. A missing tool fails the test: CI
 * installs them, so a skip would hide a broken setup.
 */
final class KafkaTools {
    record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private final Path bin;
    private final StrataBroker broker;

    KafkaTools(StrataBroker broker, String... tools) {
        this.broker = broker;
        String dir = System.getProperty("kafka.tools.bin");
        bin = dir == null || dir.isBlank() || dir.startsWith("${")
                ? StrataBroker.repoRoot().resolve(".tools/kafka/bin") : Paths.get(dir);
        for (String tool : tools) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new IllegalStateException("Kafka CLI tool " + bin.resolve(tool)
                        + " is missing: run scripts/fetch_kafka_tools.sh (make setup-test does)");
            }
        }
    }

    /** Runs a tool with --bootstrap-server added, feeding {@code stdin}; fails after 90 s. */
    Result run(String tool, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(tool).toString());
        cmd.add("--bootstrap-server");
        cmd.add(broker.bootstrap());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> out = collect(p.getInputStream());
        CompletableFuture<String> err = collect(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(tool + " " + String.join(" ", args) + " did not finish within 90 s");
        }
        return new Result(p.exitValue(), out.get(), err.get());
    }

    /** Like run, and asserts the tool exited with status 0. */
    Result ok(String tool, String stdin, String... args) throws Exception {
        Result r = run(tool, stdin, args);
        assertEquals(0, r.exit(), tool + " " + String.join(" ", args) + ": " + r);
        return r;
    }

    private static CompletableFuture<String> collect(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try {
                stream.transferTo(buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buf.toString(StandardCharsets.UTF_8);
        });
    }
}
