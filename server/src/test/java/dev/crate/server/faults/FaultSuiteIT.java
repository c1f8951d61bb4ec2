package dev.crate.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.sealing.Pem;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.server.embedded.EmbeddedDatabase;
import dev.crate.server.testing.ServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The fault suite (docs/OPERATIONS.md, section 2, "The fault suite"): the packaged server under concurrent writers
 * and readers while PostgreSQL is restarted, stopped for 6 s, while its pool is exhausted, while the embedded
 * postmaster is killed with {@code -9} (the watchdog starts it again), and while the server itself is killed with
 * {@code -9} and started again on the same data directory (the postmaster it orphaned is stopped at that start; the
 * server never reuses one). It checks that every answer is a 2xx or a 503 with {@code Retry-After} (never a 500),
 * that none takes longer than the connection wait plus the statement timeout (plus what a loaded machine adds), that
 * requests succeed again within 10 s of PostgreSQL answering (measured and printed, also to
 * {@code target/fault-suite.txt}), that every acknowledged write is read back afterwards with its exact value and
 * version, and that the audit chain verifies.
 */
class FaultSuiteIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CONNECT_WAIT_MILLIS = 1000;
    private static final long STATEMENT_TIMEOUT_MILLIS = 2000;
    /** What a loaded 2-core CI machine adds to a request beyond its waits for PostgreSQL. */
    private static final long SLACK_MILLIS = 4000;
    /** No answer may take longer (docs/OPERATIONS.md, section 2: connection wait plus statement timeout). */
    private static final long BOUND_MILLIS = CONNECT_WAIT_MILLIS + STATEMENT_TIMEOUT_MILLIS + SLACK_MILLIS;
    /** First success after PostgreSQL answers again, asserted loosely (the target is 2 s). */
    private static final long RECOVERY_LIMIT_MILLIS = 10_000;

    private static final int WRITERS = 3;
    private static final int READERS = 3;
    /** Secrets per writer: few enough versions each to stay below the version retention (100). */
    private static final int NAMES_PER_WRITER = 30;

    private static final Path REPORT = Path.of("target", "fault-suite.txt");

    /** An external PostgreSQL (a private one of this test's own) restarted, stopped and locked under load. */
    @Test
    void externalPostgresRestartedStoppedAndItsPoolExhausted() throws Exception {
        EmbeddedDatabase pg = EmbeddedDatabase.start(Files.createTempDirectory("crate-fault-suite-pg"));
        String token = token();
        Map<String, String> env = new HashMap<>(bounds());
        env.put("CRATE_DB_URL", pg.reactiveUrl());
        env.put("CRATE_DB_USER", pg.user());
        env.put("CRATE_DB_PASSWORD", pg.password());
        env.put("CRATE_ROOT_KEY", rootKey());
        try (pg;
                ServerProcess server = ServerProcess.start(token, env)) {
            long t0 = System.nanoTime();
            server.awaitReady();
            report("external: start to ready " + millisSince(t0) + " ms");
            try (Load load = new Load(server.port, token, server.defaultOrg())) {
                List<Fault> faults = new ArrayList<>();
                load.start();
                load.settle("baseline", 2000);

                load.phase("restart");
                long at = System.nanoTime();
                assertTrue(pg.stopServer(), "the private PostgreSQL stopped");
                pg.restart();
                faults.add(new Fault("PostgreSQL restart", at, System.nanoTime(), false));
                load.settle("after restart", 2000);

                load.phase("stop");
                at = System.nanoTime();
                assertTrue(pg.stopServer(), "the private PostgreSQL stopped");
                Thread.sleep(6000);
                pg.restart();
                faults.add(new Fault("PostgreSQL stopped 6 s", at, System.nanoTime(), true));
                load.settle("after stop", 2000);

                load.phase("pool exhausted");
                at = System.nanoTime();
                try (Connection locker = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
                    locker.setAutoCommit(false);
                    try (Statement s = locker.createStatement()) {
                        // every store, retrieve and list waits for these: the pool's connections are all taken
                        s.execute("lock table secrets, audit_heads in access exclusive mode");
                    }
                    Thread.sleep(5000);
                    locker.rollback();
                }
                faults.add(new Fault("pool exhausted 5 s", at, System.nanoTime(), true));
                load.settle("after pool exhausted", 2000);

                load.stop();
                check(load, faults, server.output());
                verifyAcknowledgedWrites(load, server.port, token);
            }
        }
    }

    /**
     * The embedded PostgreSQL: its postmaster killed with -9 under load (the watchdog starts it again), then the
     * server killed with -9 and started again on the same data directory and port: the postmaster the killed server
     * left running is stopped at that start and a new one started (the server has no way to reuse it).
     */
    @Test
    void embeddedPostmasterKilledThenTheServerKilledAndStartedAgain() throws Exception {
        Path dataDir = Files.createTempDirectory("crate-fault-suite-data");
        String token = token();
        int port = freePort();
        Map<String, String> env = new HashMap<>(bounds());
        env.put("CRATE_DATA_DIR", dataDir.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("CRATE_BOOTSTRAP_TOKEN", token);
        ServerProcess first = ServerProcess.start(token, env);
        ServerProcess second = null;
        long orphan = -1;
        try {
            long t0 = System.nanoTime();
            first.awaitReady();
            report("embedded: first start to ready " + millisSince(t0) + " ms");
            try (Load load = new Load(port, token, first.defaultOrg())) {
                List<Fault> faults = new ArrayList<>();
                load.start();
                load.settle("baseline", 2000);

                load.phase("postmaster kill -9");
                long killed = postmasterPid(dataDir);
                long at = System.nanoTime();
                kill9(killed);
                long back = awaitEmbeddedAnswers(dataDir, killed, 60);
                faults.add(new Fault("embedded postmaster kill -9", at, back, true));
                load.settle("after postmaster kill", 2000);
                assertTrue(
                        first.output().contains("CRATE-0074") && first.output().contains("CRATE-0075"),
                        "the watchdog says the postmaster went away and serves again: " + first.output());

                load.phase("server kill -9");
                orphan = postmasterPid(dataDir);
                load.serverDown(true);
                long down = System.nanoTime();
                first.kill9();
                assertTrue(alive(orphan), "the killed server left its PostgreSQL running (pid " + orphan + ")");
                second = ServerProcess.start(token, env);
                long restarted = System.nanoTime();
                second.awaitReady();
                long ready = System.nanoTime();
                load.serverDown(false);
                report("embedded: server kill -9 to the next start's ready "
                        + TimeUnit.NANOSECONDS.toMillis(ready - down) + " ms (start to ready "
                        + TimeUnit.NANOSECONDS.toMillis(ready - restarted) + " ms)");
                faults.add(new Fault("server kill -9, started again", down, ready, false));
                load.settle("after server kill", 2000);

                assertFalse(alive(orphan), "the orphaned postmaster " + orphan + " was stopped");
                assertTrue(
                        second.output().contains("left running by an earlier Crate process"),
                        "the start says it stopped the orphan: " + second.output());
                orphan = -1;

                load.stop();
                check(load, faults, first.output() + second.output());
                verifyAcknowledgedWrites(load, port, token);
            }
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
            if (orphan > 0 && alive(orphan)) {
                kill9(orphan); // a failure between the server's kill and the next start left it behind
            }
        }
    }

    /** The waits the suite's bound is made of, and a pool small enough for the load to exhaust. */
    private static Map<String, String> bounds() {
        return Map.of(
                "CRATE_DB_CONNECT_WAIT", CONNECT_WAIT_MILLIS + "ms",
                "CRATE_DB_STATEMENT_TIMEOUT", STATEMENT_TIMEOUT_MILLIS + "ms",
                "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "4");
    }

    /** One fault: from its start to the moment PostgreSQL (or the server) answers again. */
    record Fault(String name, long startNanos, long backNanos, boolean must503) {}

    /** One answer (or failure to get one) of the load. */
    record Outcome(
            String phase,
            String kind,
            long sentNanos,
            long doneNanos,
            int status,
            String retryAfter,
            String body,
            String requestId,
            String error,
            boolean serverDown) {
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(doneNanos - sentNanos);
        }

        boolean success() {
            return status >= 200 && status < 300;
        }
    }

    /** An acknowledged (2xx) store. */
    record Ack(String name, int version, String value) {}

    /**
     * Every answer of the run: 2xx, or 503 with Retry-After; a failure to connect only while the server was
     * down; none beyond the bound; after each fault a success within {@link #RECOVERY_LIMIT_MILLIS}.
     */
    private static void check(Load load, List<Fault> faults, String serverLog) throws IOException {
        List<Outcome> all = new ArrayList<>(load.outcomes);
        Map<String, Map<String, Long>> byPhase = new LinkedHashMap<>();
        for (Outcome o : all) {
            byPhase.computeIfAbsent(o.phase(), p -> new TreeMap<>())
                    .merge(o.error() != null ? "io" : Integer.toString(o.status()), 1L, Long::sum);
        }
        for (Map.Entry<String, Map<String, Long>> phase : byPhase.entrySet()) {
            long max = all.stream()
                    .filter(o -> o.phase().equals(phase.getKey()) && o.error() == null)
                    .mapToLong(Outcome::millis)
                    .max()
                    .orElse(0);
            report("  " + phase.getKey() + ": " + phase.getValue() + ", slowest answer " + max + " ms");
        }
        List<String> problems = new ArrayList<>();
        for (Outcome o : all) {
            if (o.error() != null) {
                if (!o.serverDown()) {
                    problems.add(o.kind() + " in " + o.phase() + " failed without an answer after " + o.millis()
                            + " ms: " + o.error());
                }
                continue;
            }
            if (o.status() == 503) {
                if (o.retryAfter() == null || Integer.parseInt(o.retryAfter()) <= 0) {
                    problems.add("503 without Retry-After: " + o.body());
                }
            } else if (!o.success()) {
                problems.add(o.kind() + " in " + o.phase() + " answered " + o.status() + " (request " + o.requestId()
                        + "): " + o.body());
            }
            // a request sent while the server was down met a cold, starting JVM, not a wait for PostgreSQL
            if (o.millis() > BOUND_MILLIS && !o.serverDown()) {
                problems.add(o.kind() + " in " + o.phase() + " answered " + o.status() + " after " + o.millis()
                        + " ms, bound " + BOUND_MILLIS + " ms");
            }
        }
        for (Fault fault : faults) {
            long n503 = all.stream()
                    .filter(o -> o.status() == 503
                            && o.doneNanos() >= fault.startNanos()
                            && o.sentNanos() <= fault.backNanos())
                    .count();
            long firstAny = firstSuccessAfter(all, fault.backNanos(), null);
            long firstStore = firstSuccessAfter(all, fault.backNanos(), "store");
            report(String.format(
                    "%s: %d ms until answered again, %d x 503 meanwhile; first success %d ms after, first"
                            + " acknowledged store %d ms after",
                    fault.name(),
                    TimeUnit.NANOSECONDS.toMillis(fault.backNanos() - fault.startNanos()),
                    n503,
                    firstAny,
                    firstStore));
            if (fault.must503() && n503 == 0) {
                problems.add(fault.name() + ": no 503 seen, the fault did not bite");
            }
            if (firstAny < 0
                    || firstAny > RECOVERY_LIMIT_MILLIS
                    || firstStore < 0
                    || firstStore > RECOVERY_LIMIT_MILLIS) {
                problems.add(fault.name() + ": first success " + firstAny + " ms, first store " + firstStore
                        + " ms after it answered again (limit " + RECOVERY_LIMIT_MILLIS + " ms)");
            }
        }
        if (!problems.isEmpty()) {
            String unexpected = Arrays.stream(serverLog.split("\n"))
                    .filter(l -> l.contains("CRATE-0500") || l.contains("Caused by") || l.startsWith("\tat dev.crate"))
                    .limit(80)
                    .collect(Collectors.joining("\n"));
            throw new AssertionError(problems.size() + " problems, first 20:\n"
                    + String.join("\n", problems.subList(0, Math.min(20, problems.size())))
                    + "\nserver log (unexpected exceptions):\n" + unexpected);
        }
    }

    /** Milliseconds from {@code since} to the first success done after it (of {@code kind}, or any); -1: none. */
    private static long firstSuccessAfter(List<Outcome> all, long since, String kind) {
        return all.stream()
                .filter(o -> o.success() && o.doneNanos() >= since && (kind == null || kind.equals(o.kind())))
                .mapToLong(o -> TimeUnit.NANOSECONDS.toMillis(o.doneNanos() - since))
                .min()
                .orElse(-1);
    }

    /**
     * Every acknowledged store, read back by pinned version: its exact value under its exact version; each name's
     * current version at least its newest acknowledged one; then the audit chain verifies.
     */
    private static void verifyAcknowledgedWrites(Load load, int port, String token) throws Exception {
        Map<String, TreeMap<Integer, String>> acked = new TreeMap<>();
        for (Ack ack : load.acks) {
            String before =
                    acked.computeIfAbsent(ack.name(), n -> new TreeMap<>()).put(ack.version(), ack.value());
            assertTrue(
                    before == null || before.equals(ack.value()),
                    ack.name() + " v" + ack.version() + " acknowledged for two different values");
        }
        int total = acked.values().stream().mapToInt(Map::size).sum();
        assertTrue(total > 0, "no store was acknowledged");
        List<String> lost = new ArrayList<>();
        int rounds = acked.values().stream().mapToInt(Map::size).max().orElse(0);
        List<Map.Entry<String, TreeMap<Integer, String>>> entries = new ArrayList<>(acked.entrySet());
        for (int round = 0; round < rounds; round++) {
            Map<String, Integer> versions = new TreeMap<>();
            for (Map.Entry<String, TreeMap<Integer, String>> e : entries) {
                if (e.getValue().size() > round) {
                    versions.put(e.getKey(), new ArrayList<>(e.getValue().keySet()).get(round));
                }
            }
            TemporaryKey key = TemporaryKey.generate();
            HttpResponse<String> response = send(
                    port,
                    token,
                    "POST",
                    "/organization/" + load.org + "/secrets/retrieve",
                    Map.of("environment", "dev", "versions", versions, "client_public_jwk", key.publicJwk()),
                    Duration.ofSeconds(60));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode payload = JSON.readTree(key.open(
                    JSON.readTree(response.body()).get("sealed_payload").asText()));
            Map<String, JsonNode> got = new HashMap<>();
            payload.get("secrets").forEach(s -> got.put(s.get("name").asText(), s));
            versions.forEach((name, version) -> {
                JsonNode s = got.get(name);
                String want = acked.get(name).get(version);
                if (s == null) {
                    lost.add(name + " v" + version + " missing");
                } else if (s.get("version").asInt() != version
                        || !want.equals(s.get("value").asText())) {
                    lost.add(name + " v" + version + " came back as v"
                            + s.get("version").asInt());
                }
            });
        }
        JsonNode list = JSON.readTree(
                send(port, token, "GET", "/organization/" + load.org + "/secrets?env=dev", null, Duration.ofSeconds(60))
                        .body());
        Map<String, Integer> current = new HashMap<>();
        list.get("secrets")
                .forEach(s ->
                        current.put(s.get("name").asText(), s.get("version").asInt()));
        acked.forEach((name, versions) -> {
            if (current.getOrDefault(name, 0) < versions.lastKey()) {
                lost.add(name + " is at v" + current.get(name) + ", v" + versions.lastKey() + " was acknowledged");
            }
        });
        report("acknowledged stores read back: " + (total - lost.size()) + " of " + total + " (" + acked.size()
                + " secrets)");
        assertTrue(lost.isEmpty(), "acknowledged writes lost: " + lost);
        HttpResponse<String> verify =
                send(port, token, "GET", "/organization/" + load.org + "/audit/verify", null, Duration.ofSeconds(60));
        assertEquals(200, verify.statusCode(), verify.body());
        JsonNode chain = JSON.readTree(verify.body());
        report("audit chain: intact " + chain.get("intact") + ", " + chain.get("checked") + " records checked");
        assertTrue(chain.get("intact").asBoolean(), verify.body());
    }

    /** Concurrent writers (stores) and readers (retrieves, lists), each recording every outcome. */
    static final class Load implements AutoCloseable {
        private static final HttpClient HTTP = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        final int port;
        final String token;
        final String org;
        final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        private final PublicKey publicKey;
        private final String kid;
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private volatile String phase = "baseline";
        private volatile boolean serverDown;
        /** When the server last came back: connection failures of requests sent before it are the kill's. */
        private volatile long serverUpNanos;

        Load(int port, String token, String org) throws Exception {
            this.port = port;
            this.token = token;
            this.org = org;
            JsonNode key = JSON.readTree(send(
                            port,
                            token,
                            "GET",
                            "/organization/" + org + "/secrets/public-key",
                            null,
                            Duration.ofSeconds(30))
                    .body());
            this.publicKey = Pem.decode(key.get("public_key_pem").asText(), "RSA");
            this.kid = key.get("kid").asText();
        }

        void start() {
            running.set(true);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                threads.add(started("fault-writer-" + w, () -> write(writer)));
            }
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                threads.add(started("fault-reader-" + r, () -> read(reader)));
            }
        }

        private static Thread started(String name, Runnable work) {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        void phase(String name) {
            phase = name;
        }

        /** Runs the load in phase {@code name} for a while. */
        void settle(String name, long millis) throws InterruptedException {
            phase = name;
            Thread.sleep(millis);
        }

        void serverDown(boolean down) {
            if (!down) {
                serverUpNanos = System.nanoTime();
            }
            serverDown = down;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private void write(int writer) {
            for (int i = 0; running.get(); i++) {
                String name = "W" + writer + "_" + (i % NAMES_PER_WRITER);
                String value = "w" + writer + "-" + i + "-" + Long.toHexString(RANDOM.nextLong());
                String sealed = Sealing.sealJwe(
                        publicKey,
                        kid,
                        dev.crate.protocol.sealing.Destination.of(java.util.UUID.fromString(org), "dev", name),
                        value.getBytes(StandardCharsets.UTF_8));
                Outcome o = call(
                        "store",
                        "PUT",
                        "/organization/" + org + "/secrets",
                        Map.of("name", name, "environment", "dev", "encrypted_value", sealed, "sealed", true));
                if (o.success()) {
                    try {
                        acks.add(new Ack(
                                name, JSON.readTree(o.body()).get("version").asInt(), value));
                    } catch (IOException e) {
                        throw new IllegalStateException("a store answered " + o.status() + " without JSON", e);
                    }
                }
                pause();
            }
        }

        private void read(int reader) {
            for (int i = 0; running.get(); i++) {
                if ((i + reader) % 3 == 0) {
                    call("list", "GET", "/organization/" + org + "/secrets?env=dev", null);
                } else {
                    List<String> names = new ArrayList<>();
                    for (int n = 0; n < 3; n++) {
                        names.add("W" + ThreadLocalRandom.current().nextInt(WRITERS) + "_"
                                + ThreadLocalRandom.current().nextInt(NAMES_PER_WRITER));
                    }
                    TemporaryKey key = TemporaryKey.generate();
                    Outcome o = call(
                            "retrieve",
                            "POST",
                            "/organization/" + org + "/secrets/retrieve",
                            Map.of("environment", "dev", "names", names, "client_public_jwk", key.publicJwk()));
                    if (o.success()) {
                        try {
                            key.open(JSON.readTree(o.body())
                                    .get("sealed_payload")
                                    .asText());
                        } catch (IOException | RuntimeException e) {
                            outcomes.add(new Outcome(
                                    o.phase(),
                                    "retrieve",
                                    o.sentNanos(),
                                    o.doneNanos(),
                                    0,
                                    null,
                                    o.body(),
                                    o.requestId(),
                                    "a 200 whose payload does not open: " + e,
                                    false));
                        }
                    }
                }
                pause();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Outcome call(String kind, String method, String path, Object body) {
            String at = phase;
            boolean down = serverDown;
            long sent = System.nanoTime();
            Outcome o;
            try {
                HttpResponse<String> r = send(port, token, method, path, body, Duration.ofSeconds(30));
                boolean cold = down || sent < serverUpNanos;
                o = new Outcome(
                        at,
                        kind,
                        sent,
                        System.nanoTime(),
                        r.statusCode(),
                        r.headers().firstValue("Retry-After").orElse(null),
                        r.body(),
                        r.headers().firstValue("X-Request-Id").orElse(null),
                        null,
                        cold);
            } catch (HttpTimeoutException e) {
                o = new Outcome(at, kind, sent, System.nanoTime(), 0, null, null, null, "no answer in 30 s", false);
            } catch (IOException e) {
                // the server was killed while this was on its way, or it is not listening yet
                boolean expected = down || serverDown || sent < serverUpNanos;
                o = new Outcome(at, kind, sent, System.nanoTime(), 0, null, null, null, e.toString(), expected);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                o = new Outcome(at, kind, sent, System.nanoTime(), 0, null, null, null, "interrupted", false);
            }
            outcomes.add(o);
            return o;
        }
    }

    private static HttpResponse<String> send(
            int port, String token, String method, String path, Object body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        return Load.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(timeout)
                        .method(method, publisher)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The postmaster's pid, from the embedded database's {@code postmaster.pid}. */
    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"))
                .get(0)
                .trim());
    }

    /**
     * Waits until the embedded PostgreSQL answers a query again (a postmaster other than {@code killed}); the
     * moment it did.
     */
    private static long awaitEmbeddedAnswers(Path dataDir, long killed, int seconds) throws Exception {
        String password = Files.readString(dataDir.resolve("pg-password")).trim();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                List<String> pidFile = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"));
                if (pidFile.size() > 3 && Long.parseLong(pidFile.get(0).trim()) != killed) {
                    Properties props = new Properties();
                    props.setProperty("user", "postgres");
                    props.setProperty("password", password);
                    props.setProperty("connectTimeout", "2");
                    try (Connection c = DriverManager.getConnection(
                                    "jdbc:postgresql://127.0.0.1:"
                                            + pidFile.get(3).trim() + "/crate",
                                    props);
                            Statement s = c.createStatement()) {
                        s.execute("select 1");
                        return System.nanoTime();
                    }
                }
            } catch (IOException | java.sql.SQLException | NumberFormatException notYet) {
                // not restarted yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the embedded PostgreSQL did not answer again within " + seconds + " s");
    }

    /** Whether the process runs (not gone, not a zombie), from /proc. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void report(String line) throws IOException {
        System.out.println("[fault-suite] " + line);
        Files.writeString(
                REPORT, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String token() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "crate_" + HexFormat.of().formatHex(bytes);
    }

    private static String rootKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
