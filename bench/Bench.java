import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The handoff benchmark of bench/README.md: the stub hit directly, a bare pass-through, and
 * cxone-routes with every feature on, in alternating rounds; then a drop file in -Xmx256m. Prints a
 * table and writes JSON. Started by bench/run.sh, which compiles this folder first.
 *
 * <p>The load generator is in this process: plain blocking sockets with HTTP/1.1 keep-alive, one
 * connection per worker, so it costs a write and a read per request and sends every request its
 * own Idempotency-Key (which hey cannot). Throughput is closed-model (c workers as fast as they are
 * answered); latency is open-model (requests due at a fixed rate, latency counted from when each was
 * due, so a stall is not hidden by requests that were never sent).
 */
public class Bench {

    static final String API_KEY = "bench-key";
    static final String WEBHOOK_SECRET = "whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQtMzItYnl0ZXMhIQ==";
    static final String HANDOFF_BODY =
            "{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\",\"duration\":42},"
                    + "\"caller_id\":\"+15551234567\"}";
    static final String GUEST_PATH = "/api/v2/interactions/guests";
    static final String HANDOFF_PATH = "/api/v1/ivr/handoff";

    final Options options;
    final Path work;
    final Path classes;
    final Path repo;
    final HttpClient control =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    final List<Process> started = new CopyOnWriteArrayList<>();
    final AtomicLong keys = new AtomicLong();
    final String runId = Long.toString(System.currentTimeMillis(), 36);

    Bench(Options options) throws IOException {
        this.options = options;
        this.work = Files.createTempDirectory("cxone-bench.");
        this.classes = Paths.get(System.getProperty("bench.classes", "bench")).toAbsolutePath();
        this.repo = Paths.get("").toAbsolutePath();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(p -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        })));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Bench bench = new Bench(options);
        try {
            if (options.trainSeconds > 0) {
                bench.train();
            } else {
                bench.run();
            }
        } finally {
            bench.started.forEach(p -> {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            });
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------
    // The run

    void run() throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("timestamp", Instant.now().toString());
        report.put("git_commit", System.getProperty("bench.commit", ""));
        report.put("label", options.label);
        report.put("service_java", options.java);
        report.put("service_java_version", javaVersion(options.java));
        report.put("jvm_opts", options.jvmOpts);
        report.put("heap", options.heap.equals("0") ? "JVM default" : options.heap);
        report.put("settings", options.asMap());
        report.put("loadavg_at_start", loadavg());
        System.out.printf(
                "cxone-routes bench: %s, service on %s %s; work dir %s%n",
                options.quick ? "quick" : "full",
                javaVersion(options.java),
                options.jvmOpts.isEmpty() ? "" : "with " + options.jvmOpts,
                work);

        List<Map<String, Object>> rounds = new ArrayList<>();
        for (int round = 1; round <= options.rounds; round++) {
            rounds.add(round(round));
        }
        report.put("rounds", rounds);
        report.put("summary", summary(rounds));
        if (options.batchLines > 0) {
            try {
                report.put("batch", batch());
            } catch (Exception e) {
                System.out.println("   batch failed: " + e);
                report.put("batch_error", e.toString());
            }
        }
        report.put("loadavg_at_end", loadavg());
        report.put("targets_met", targets(report));

        printTable(report);
        Path out = options.out != null
                ? Paths.get(options.out)
                : repo.resolve("bench/results")
                        .resolve(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                        .withZone(ZoneOffset.UTC)
                                        .format(Instant.now())
                                + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.write(report) + "\n");
        System.out.println("JSON: " + out);
        System.out.println("logs: " + work);
    }

    Map<String, Object> round(int round) throws Exception {
        System.out.printf("%n== round %d of %d%n", round, options.rounds);
        Map<String, Object> result = new LinkedHashMap<>();
        Stub stub = startStub(round, 0);
        try {
            // The stub and this generator are instruments, not subjects: let their JIT settle first.
            closedLoad(stub.guestUrl(), options.concurrency, options.instrumentWarmupSeconds, null);
            for (String target : options.targets) {
                try {
                    result.put(target, measureTarget(target, stub, round));
                } catch (Exception e) {
                    System.out.println("   " + target + " failed: " + e);
                    result.put(target, new LinkedHashMap<>(Map.of("error", e.toString())));
                }
            }
        } finally {
            stop(stub.process, 5);
        }
        return result;
    }

    Map<String, Object> measureTarget(String target, Stub stub, int round) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        Process process;
        URI url;
        int managementPort = 0;
        Path dir = work.resolve("round" + round + "-" + target);
        Files.createDirectories(dir);
        switch (target) {
            case "stub" -> {
                process = stub.process;
                url = stub.guestUrl();
            }
            case "baseline" -> {
                int port = freePort();
                long t0 = System.nanoTime();
                process = start(
                        List.of("java", "-cp", classes.toString(), "PassThrough", String.valueOf(port), stub.baseUrl()),
                        dir,
                        Map.of(),
                        dir.resolve("passthrough.log"));
                awaitOk(URI.create("http://127.0.0.1:" + port + "/ready"), process, 60);
                m.put("start_to_ready_s", seconds(System.nanoTime() - t0));
                m.put("cpu_to_ready_s", round2(cpuTicks(process.pid()) / (double) ticksPerSecond()));
                url = URI.create("http://127.0.0.1:" + port + HANDOFF_PATH);
            }
            case "service" -> {
                Service service = startService(dir, stub, options.jvmOpts, Map.of());
                process = service.process;
                managementPort = service.managementPort;
                m.put("start_to_ready_s", service.startToReadySeconds);
                m.put("cpu_to_ready_s", service.cpuToReadySeconds);
                url = service.handoffUrl();
            }
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
        System.out.printf("-- %s%s%n", target, m.containsKey("start_to_ready_s")
                ? String.format(Locale.ROOT, " (ready in %.2f s, %.2f CPU-s)", (double) m.get("start_to_ready_s"),
                        (double) m.get("cpu_to_ready_s"))
                : "");
        try {
            int duration = options.warmAtSeconds + options.warmWindowSeconds;
            CpuMarks cpu = new CpuMarks(process.pid(), 0, options.coldSeconds, options.warmAtSeconds, duration);
            Closed closed = closedLoad(url, options.concurrency, duration, cpu);
            double cold = closed.rate(0, options.coldSeconds);
            double warm = closed.rate(options.warmAtSeconds, duration);
            // The first answer under load: how long the first callers after a (re)start wait.
            m.put("first_answer_after_ready_s",
                    closed.firstAnswerNanos.get() < 0 ? null : seconds(closed.firstAnswerNanos.get()));
            m.put("cold_req_per_s", round1(cold));
            m.put("warm_req_per_s", round1(warm));
            // CPU per request: what the process spent (JIT compilation included) per answer. The other
            // load on a shared machine distorts it far less than it distorts req/s.
            m.put("cold_cpu_ms_per_req",
                    cpu.msPerRequest(0, options.coldSeconds, closed.count(0, options.coldSeconds)));
            m.put("warm_cpu_ms_per_req",
                    cpu.msPerRequest(options.warmAtSeconds, duration, closed.count(options.warmAtSeconds, duration)));
            m.put("req_per_s_by_second", closed.perSecond());
            m.put("errors_under_load", closed.errors());
            System.out.printf(
                    "   c=%d: first answer after %s s; cold (first %d s) %.0f req/s (%s CPU-ms/req), warm (%d-%d s) %.0f req/s (%s CPU-ms/req), %d errors%n",
                    options.concurrency, m.get("first_answer_after_ready_s"), options.coldSeconds, cold, m.get("cold_cpu_ms_per_req"), options.warmAtSeconds,
                    duration, warm, m.get("warm_cpu_ms_per_req"), closed.errors());

            if (options.latencySeconds > 0) {
                // The throughput phase answers faster than the service delivers its webhooks (they
                // are queued durably and delivered after the answer): at c=50 tens of thousands are
                // still queued when it ends. Unless --no-drain, the latency phase waits until they
                // are delivered, so p99 at 200 req/s is the steady state, not the drain of an
                // overload; the wait is reported.
                if (options.drainWebhooks && target.equals("service")) {
                    double drained = awaitWebhooksDelivered(stub);
                    m.put("webhook_drain_s", round2(drained));
                    System.out.printf("   webhooks of the throughput phase delivered %.1f s after it ended%n", drained);
                }
                setStubDelay(stub, options.latencyDelayMillis);
                Open open = openLoad(url, options.rate, options.latencySeconds);
                setStubDelay(stub, 0);
                m.put("latency_stub_delay_ms", options.latencyDelayMillis);
                m.put("latency_rate_per_s", options.rate);
                m.put("p50_ms", round2(open.percentile(50)));
                m.put("p90_ms", round2(open.percentile(90)));
                m.put("p99_ms", round2(open.percentile(99)));
                m.put("max_ms", round2(open.percentile(100)));
                m.put("latency_requests", open.count());
                m.put("latency_errors", open.errors);
                System.out.printf(
                        "   %d req/s, stub %d ms: p50 %.2f ms, p99 %.2f ms (%d requests, %d errors)%n",
                        options.rate, options.latencyDelayMillis, open.percentile(50), open.percentile(99), open.count(),
                        open.errors);
            }
            if (target.equals("service")) {
                m.put("features", featureCheck(stub, url, dir, managementPort));
            }
            if (!target.equals("stub")) {
                m.put("peak_rss_mib", peakRssMib(process.pid()));
                stop(process, 30);
                dropBulkyState(dir);
            }
        } finally {
            if (!target.equals("stub") && process.isAlive()) {
                process.destroyForcibly();
            }
        }
        return m;
    }

    /** Proof that every feature was on and working while it was measured, read from outside. */
    Map<String, Object> featureCheck(Stub stub, URI handoff, Path dir, int managementPort) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        String key = "bench-replay-" + runId;
        HttpResponse<String> first = post(handoff, key);
        HttpResponse<String> again = post(handoff, key);
        f.put("idempotent_replay", again.headers().firstValue("Idempotent-Replayed").orElse("false"));
        HttpResponse<String> unauthorised = control.send(
                HttpRequest.newBuilder(handoff)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(HANDOFF_BODY))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        f.put("status_without_api_key", unauthorised.statusCode());
        HttpResponse<String> invalid = control.send(
                HttpRequest.newBuilder(handoff)
                        .header("Content-Type", "application/json")
                        .header("X-API-Key", API_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"dtmf_sequence\":\"12x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        f.put("status_of_invalid_request", invalid.statusCode());
        f.put("first_status", first.statusCode());
        // Give the fan-out a moment to drain before counting.
        Thread.sleep(1500);
        long auditLines = 0;
        Path audit = dir.resolve("data/audit");
        if (Files.isDirectory(audit)) {
            try (Stream<Path> files = Files.list(audit)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    try (Stream<String> lines = Files.lines(file)) {
                        auditLines += lines.count();
                    }
                }
            }
        }
        f.put("audit_lines", auditLines);
        f.put("stub_counters", stubStats(stub));
        try (Stream<String> log = Files.lines(dir.resolve("service.log"))) {
            f.put("request_log_lines", log.filter(l -> l.contains("Request answered")).count());
        }
        String metrics = control.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        f.put("metrics", metrics.lines()
                .filter(l -> l.startsWith("cxone_handoff_requests_total") || l.startsWith("cti_webhook_deliveries_total"))
                .toList());
        return f;
    }

    HttpResponse<String> post(URI uri, String idempotencyKey) throws Exception {
        return control.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .header("X-API-Key", API_KEY)
                        .header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(HANDOFF_BODY))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------------------------------
    // Batch

    Map<String, Object> batch() throws Exception {
        System.out.printf("%n== batch: %d lines, stub %d ms, -Xmx%s%n", options.batchLines, options.latencyDelayMillis,
                options.batchHeap);
        Map<String, Object> b = new LinkedHashMap<>();
        Path dir = work.resolve("batch");
        Files.createDirectories(dir);
        // A fresh stub, warmed on its bridge and webhook paths before the file drops (as each round's).
        Stub stub = startStub(0, options.instrumentWarmupSeconds);
        try {
            setStubDelay(stub, options.latencyDelayMillis);
            Map<String, String> env = new LinkedHashMap<>();
            if (options.batchConcurrency > 0) {
                env.put("BATCH_CONCURRENCY", String.valueOf(options.batchConcurrency));
            }
            String opts = ("-Xmx" + options.batchHeap + " " + options.jvmOpts).trim();
            Service service = startService(dir, stub, opts, env);
            b.put("lines", options.batchLines);
            b.put("stub_delay_ms", options.latencyDelayMillis);
            b.put("jvm_opts", opts);
            b.put("batch_concurrency", options.batchConcurrency > 0 ? options.batchConcurrency : "default");
            b.put("start_to_ready_s", service.startToReadySeconds);
            b.put("cpu_to_ready_s", service.cpuToReadySeconds);
            String name = "bench-" + options.batchLines + ".jsonl";
            Path staged = dir.resolve(name);
            StringBuilder lines = new StringBuilder(options.batchLines * 110);
            for (int i = 1; i <= options.batchLines; i++) {
                lines.append("{\"callId\":\"bench-").append(i)
                        .append("\",\"targets\":[{\"type\":\"phone\",\"value\":\"+1555")
                        .append(String.format(Locale.ROOT, "%07d", i))
                        .append("\"}],\"direction\":\"transfer\"}\n");
            }
            Files.writeString(staged, lines);
            Path inbox = dir.resolve("data/inbox/bridge");
            Files.createDirectories(inbox);
            Path processed = dir.resolve("data/processed/bridge").resolve(name);
            Path results = dir.resolve("data/outbox/bridge").resolve(name + ".results.jsonl");
            long cpu0 = cpuTicks(service.process.pid());
            long t0 = System.nanoTime();
            Files.move(staged, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            // Two ends: the last result line written, and the file moved to processed/ (which should
            // follow at once; if it does not, the file is reported as stuck rather than waited on).
            long deadline = t0 + TimeUnit.SECONDS.toNanos(Math.max(120, options.batchLines / 50));
            LineCounter counter = new LineCounter(results);
            long lastResultAt = 0;
            long resultCount = 0;
            long allResultsAt = 0;
            Long processedAt = null;
            while (true) {
                long now = System.nanoTime();
                long count = counter.count();
                if (count > resultCount) {
                    resultCount = count;
                    lastResultAt = now;
                }
                if (allResultsAt == 0 && resultCount >= options.batchLines) {
                    allResultsAt = now;
                }
                if (Files.exists(processed)) {
                    processedAt = now;
                    break;
                }
                if (!service.process.isAlive()) {
                    b.put("error", "service died during the batch; see " + dir);
                    break;
                }
                if (now > deadline || (allResultsAt > 0 && now - allResultsAt > TimeUnit.SECONDS.toNanos(30))) {
                    b.put("error", "drop file not moved to processed/ " + (allResultsAt > 0
                            ? "30 s after its last result" : "in time") + "; see " + dir);
                    break;
                }
                Thread.sleep(50);
            }
            resultCount = counter.count();
            double wall = ((lastResultAt > 0 ? lastResultAt : System.nanoTime()) - t0) / 1e9;
            long cpu = cpuTicks(service.process.pid()) - cpu0;
            long succeeded;
            try (Stream<String> resultLines = Files.exists(results) ? Files.lines(results) : Stream.empty()) {
                succeeded = resultLines.filter(l -> l.contains("\"status\":\"success\"")).count();
            }
            if (processedAt != null) {
                b.put("drop_to_processed_s", round2((processedAt - t0) / 1e9));
            }
            b.put("results", resultCount);
            b.put("succeeded", succeeded);
            b.put("drop_to_last_result_s", round2(wall));
            b.put("lines_per_s", round1(resultCount / wall));
            b.put("cpu_ms_per_line", round2(cpu * 1000.0 / ticksPerSecond() / Math.max(1, resultCount)));
            b.put("peak_rss_mib", peakRssMib(service.process.pid()));
            b.put("stub_counters", stubStats(stub));
            System.out.printf("   %d results (%d succeeded) in %.1f s: %.0f lines/s, peak RSS %d MiB%s%n", resultCount,
                    succeeded, wall, resultCount / wall, (long) b.get("peak_rss_mib"),
                    b.containsKey("error") ? "; " + b.get("error") : "");
            stop(service.process, 30);
            dropBulkyState(dir);
        } finally {
            stop(stub.process, 5);
        }
        return b;
    }

    // ------------------------------------------------------------------------------------------
    // Training run for a class-data-sharing archive or an AOT cache (bench/train-cds.sh)

    void train() throws Exception {
        Path dir = work.resolve("train");
        Files.createDirectories(dir);
        Stub stub = startStub(0, 0);
        try {
            Service service = startService(dir, stub, options.jvmOpts, Map.of());
            System.out.printf("training: service ready in %.2f s; %d s of handoffs, then bridges and a drop file%n",
                    service.startToReadySeconds, options.trainSeconds);
            closedLoad(service.handoffUrl(), options.concurrency, options.trainSeconds, null);
            URI bridge = URI.create("http://127.0.0.1:" + service.httpPort + "/api/v1/calls/train-1/bridge");
            for (int i = 0; i < 200; i++) {
                control.send(
                        HttpRequest.newBuilder(bridge)
                                .header("Content-Type", "application/json")
                                .header("X-API-Key", API_KEY)
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"targets\":[{\"type\":\"phone\",\"value\":\"+15557654321\"}],\"direction\":\"outbound\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            setStubDelay(stub, options.latencyDelayMillis);
            Path inbox = dir.resolve("data/inbox/bridge");
            Files.createDirectories(inbox);
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= 2000; i++) {
                lines.append("{\"callId\":\"train-").append(i)
                        .append("\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15550000001\"}],\"direction\":\"transfer\"}\n");
            }
            Files.writeString(dir.resolve("train.jsonl"), lines);
            Files.move(dir.resolve("train.jsonl"), inbox.resolve("train.jsonl"), StandardCopyOption.ATOMIC_MOVE);
            Path processed = dir.resolve("data/processed/bridge/train.jsonl");
            for (int i = 0; i < 1200 && !Files.exists(processed); i++) {
                Thread.sleep(100);
            }
            control.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.managementPort + "/observe/metrics"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            System.out.println("training: stopping the service (SIGTERM) so it writes its archive");
            service.process.destroy();
            if (!service.process.waitFor(300, TimeUnit.SECONDS)) {
                service.process.destroyForcibly();
                throw new IllegalStateException("service did not stop; see " + dir);
            }
            System.out.println("training: service exited with " + service.process.exitValue() + "; log " + dir.resolve("service.log"));
        } finally {
            stop(stub.process, 5);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Processes

    record Stub(Process process, int port, int webhookPort) {
        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        URI guestUrl() {
            return URI.create(baseUrl() + GUEST_PATH);
        }
    }

    record Service(Process process, int httpPort, int managementPort, double startToReadySeconds, double cpuToReadySeconds) {
        URI handoffUrl() {
            return URI.create("http://127.0.0.1:" + httpPort + HANDOFF_PATH);
        }
    }

    /** A stub CXone; with warmupSeconds, it loads itself that long before it listens (CxoneStubServer). */
    Stub startStub(int round, int warmupSeconds) throws Exception {
        int port = freePort();
        int webhookPort = freePort();
        Path dir = work.resolve("stub-" + round + "-" + port);
        Files.createDirectories(dir);
        Process process = start(
                List.of("java", "-XX:+UseSerialGC", "-Dsun.net.httpserver.nodelay=true", "-Dstub.warmup=" + warmupSeconds,
                        "-cp", classes.toString(), "CxoneStubServer", String.valueOf(port), "0",
                        String.valueOf(webhookPort)),
                dir,
                Map.of(),
                dir.resolve("stub.log"));
        awaitOk(URI.create("http://127.0.0.1:" + port + "/stats"), process, 60);
        return new Stub(process, port, webhookPort);
    }

    Service startService(Path dir, Stub stub, String jvmOpts, Map<String, String> extraEnv) throws Exception {
        // The service reads application.properties, routes/ and sandbox/ from its working directory.
        Files.copy(repo.resolve("application.properties"), dir.resolve("application.properties"),
                StandardCopyOption.REPLACE_EXISTING);
        copyTree(repo.resolve("routes"), dir.resolve("routes"));
        copyTree(repo.resolve("sandbox"), dir.resolve("sandbox"));
        int httpPort = freePort();
        int managementPort = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CXONE_BASE_URL", stub.baseUrl());
        env.put("CXONE_CLIENT_ID", "bench");
        env.put("CXONE_CLIENT_SECRET", "bench-secret");
        env.put("API_KEYS", API_KEY);
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("JMS_EMBEDDED_PORT", String.valueOf(freePort()));
        env.put("CTI_WEBHOOK_URLS", "http://127.0.0.1:" + stub.webhookPort() + "/webhook");
        env.put("CTI_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.putAll(extraEnv);
        List<String> command = new ArrayList<>();
        command.add(options.java);
        classDataArchive(jvmOpts).ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
        // The README's run command; what jvmOpts say comes later and wins (the batch launch's -Xmx,
        // -XX:TieredStopAtLevel=4 for the JIT's default two compilers).
        command.add("-XX:TieredStopAtLevel=1");
        if (!options.heap.equals("0")) {
            command.add("-Xmx" + options.heap);
        }
        command.addAll(splitOpts(jvmOpts));
        command.add("-jar");
        command.add(Paths.get(options.jar).toAbsolutePath().toString());
        Files.writeString(dir.resolve("command.txt"), String.join(" ", command) + "\n" + env + "\n");
        long t0 = System.nanoTime();
        Process process = start(command, dir, env, dir.resolve("service.log"));
        awaitOk(URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"), process, 180);
        double startToReady = seconds(System.nanoTime() - t0);
        // CPU seconds until ready: start-up work that contention on a shared machine does not inflate.
        double cpuToReady = round2(cpuTicks(process.pid()) / (double) ticksPerSecond());
        return new Service(process, httpPort, managementPort, startToReady, cpuToReady);
    }

    /**
     * The README's run command names the jar's class-data archive (X.jsa beside X.jar, made by `mvn
     * package`); an older build without one runs as it was launched then. Left out when the options
     * name an archive or cache of their own (bench/train-cds.sh, bench/class-list.sh).
     */
    Optional<Path> classDataArchive(String jvmOpts) {
        if (jvmOpts.matches(".*(SharedArchiveFile|ArchiveClassesAtExit|AOTCache|DumpLoadedClassList|Xshare).*")) {
            return Optional.empty();
        }
        Path jar = Paths.get(options.jar).toAbsolutePath();
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa");
        return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
    }

    Process start(List<String> command, Path dir, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    void stop(Process process, int seconds) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Polls every 20 ms; the first 200 ends the wait. */
    void awaitOk(URI uri, Process process, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited before it was ready: " + process.info().commandLine().orElse("?"));
            }
            try {
                if (control.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not ready after " + timeoutSeconds + " s: " + uri);
    }

    void setStubDelay(Stub stub, int millis) throws Exception {
        control.send(HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/control?delay=" + millis)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** Waits (at most 5 minutes) until the stub's webhook count stops growing; returns the seconds waited. */
    double awaitWebhooksDelivered(Stub stub) throws Exception {
        long start = System.nanoTime();
        long last = -1;
        int still = 0;
        while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
            java.util.regex.Matcher count =
                    java.util.regex.Pattern.compile("\"webhooks\":(\\d+)").matcher(stubStats(stub));
            long webhooks = count.find() ? Long.parseLong(count.group(1)) : 0;
            still = webhooks == last ? still + 1 : 0;
            if (still >= 4) { // unchanged for 2 s: nothing left to deliver
                break;
            }
            last = webhooks;
            Thread.sleep(500);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    String stubStats(Stub stub) throws Exception {
        return control.send(HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/stats")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    // ------------------------------------------------------------------------------------------
    // Load: closed model for throughput, open model for latency

    /** Requests answered and failed per second of the phase. */
    static final class Closed {
        final AtomicLongArray answered;
        final AtomicLongArray failed;
        final int seconds;
        final AtomicLong firstAnswerNanos = new AtomicLong(-1);

        Closed(int seconds) {
            this.seconds = seconds;
            this.answered = new AtomicLongArray(seconds + 2);
            this.failed = new AtomicLongArray(seconds + 2);
        }

        long count(int from, int to) {
            long sum = 0;
            for (int s = from; s < to && s < seconds; s++) {
                sum += answered.get(s);
            }
            return sum;
        }

        double rate(int from, int to) {
            int end = Math.min(to, seconds);
            return end > from ? (double) count(from, end) / (end - from) : 0;
        }

        long errors() {
            long sum = 0;
            for (int s = 0; s < failed.length(); s++) {
                sum += failed.get(s);
            }
            return sum;
        }

        List<Long> perSecond() {
            List<Long> list = new ArrayList<>();
            for (int s = 0; s < seconds; s++) {
                list.add(answered.get(s));
            }
            return list;
        }
    }

    /** A process's CPU time (user + system), read at chosen seconds of a load phase. */
    static final class CpuMarks {
        final long pid;
        final int[] seconds;
        final long[] ticks;

        CpuMarks(long pid, int... seconds) {
            this.pid = pid;
            this.seconds = seconds.clone();
            Arrays.sort(this.seconds);
            this.ticks = new long[seconds.length];
            Arrays.fill(ticks, -1);
        }

        /** CPU milliseconds per answered request between two of the chosen seconds. */
        Object msPerRequest(int from, int to, long requests) {
            int i = Arrays.binarySearch(seconds, from);
            int j = Arrays.binarySearch(seconds, to);
            if (i < 0 || j < 0 || ticks[i] < 0 || ticks[j] < 0 || requests == 0) {
                return null;
            }
            return round2((ticks[j] - ticks[i]) * 1000.0 / ticksPerSecond() / requests);
        }
    }

    Closed closedLoad(URI url, int concurrency, int seconds, CpuMarks cpu) throws InterruptedException {
        Closed closed = new Closed(seconds);
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread worker = new Thread(() -> {
                Connection connection = new Connection(url);
                try {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        int status = connection.exchange(request(url));
                        int second = (int) ((System.nanoTime() - t0) / 1_000_000_000L);
                        if (second >= seconds) {
                            break;
                        }
                        if (status >= 200 && status < 300) {
                            closed.answered.incrementAndGet(second);
                            if (closed.firstAnswerNanos.get() < 0) {
                                closed.firstAnswerNanos.compareAndSet(-1, System.nanoTime() - t0);
                            }
                        } else {
                            closed.failed.incrementAndGet(second);
                        }
                    }
                } finally {
                    connection.close();
                }
            }, "load-" + i);
            workers.add(worker);
            worker.start();
        }
        if (cpu != null) {
            for (int i = 0; i < cpu.seconds.length; i++) {
                sleepUntil(t0 + TimeUnit.SECONDS.toNanos(cpu.seconds[i]));
                cpu.ticks[i] = cpuTicks(cpu.pid);
            }
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return closed;
    }

    static final class Open {
        final List<long[]> perWorker = new CopyOnWriteArrayList<>();
        long[] sorted;
        long errors;

        long count() {
            return sorted.length;
        }

        double percentile(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }

    Open openLoad(URI url, int ratePerSecond, int seconds) throws InterruptedException {
        Open open = new Open();
        BlockingQueue<Long> due = new LinkedBlockingQueue<>();
        long interval = 1_000_000_000L / ratePerSecond;
        long t0 = System.nanoTime() + 20_000_000L;
        int total = ratePerSecond * seconds;
        AtomicLong errors = new AtomicLong();
        // Far more workers than requests in flight at this rate, so a request never waits for one.
        int workerCount = 64;
        Long stop = Long.MIN_VALUE;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(() -> {
                Connection connection = new Connection(url);
                long[] latencies = new long[total];
                int n = 0;
                try {
                    while (true) {
                        Long dueAt = due.take();
                        if (dueAt == Long.MIN_VALUE) {
                            break;
                        }
                        int status = connection.exchange(request(url));
                        long latency = System.nanoTime() - dueAt;
                        if (status >= 200 && status < 300) {
                            latencies[n++] = latency;
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    connection.close();
                    open.perWorker.add(Arrays.copyOf(latencies, n));
                }
            }, "open-" + i);
            workers.add(worker);
            worker.start();
        }
        for (int i = 0; i < total; i++) {
            long at = t0 + i * interval;
            sleepUntil(at);
            due.add(at);
        }
        for (int i = 0; i < workerCount; i++) {
            due.add(stop);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        open.sorted = open.perWorker.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        open.errors = errors.get();
        return open;
    }

    byte[] request(URI url) {
        byte[] body = HANDOFF_BODY.getBytes(StandardCharsets.ISO_8859_1);
        String head = "POST " + url.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + url.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nX-API-Key: " + API_KEY
                + "\r\nIdempotency-Key: bench-" + runId + "-" + keys.incrementAndGet()
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** One keep-alive HTTP/1.1 connection; reconnects after a failure. Status -1: no answer. */
    static final class Connection {
        final URI url;
        Socket socket;
        InputStream in;
        OutputStream out;
        final StringBuilder line = new StringBuilder(128);

        Connection(URI url) {
            this.url = url;
        }

        int exchange(byte[] request) {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
                    socket.setSoTimeout(60_000);
                    in = new BufferedInputStream(socket.getInputStream(), 16384);
                    out = socket.getOutputStream();
                }
                out.write(request);
                out.flush();
                return readResponse();
            } catch (IOException | RuntimeException e) {
                close();
                return -1;
            }
        }

        int readResponse() throws IOException {
            String statusLine = readLine();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            String header;
            while (!(header = readLine()).isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
                    closeAfter = true;
                }
            }
            if (chunked) {
                while (true) {
                    String size = readLine();
                    int semicolon = size.indexOf(';');
                    long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (chunk == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(chunk);
                    readLine();
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && status != 204 && status != 304) {
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return status;
        }

        void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        String readLine() throws IOException {
            line.setLength(0);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
            throw new IOException("connection closed");
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            socket = null;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Summary, targets, table

    Map<String, Object> summary(List<Map<String, Object>> rounds) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String target : options.targets) {
            Map<String, Object> s = new LinkedHashMap<>();
            for (String field : List.of("start_to_ready_s", "cpu_to_ready_s", "first_answer_after_ready_s",
                    "cold_req_per_s", "warm_req_per_s",
                    "cold_cpu_ms_per_req", "warm_cpu_ms_per_req",
                    "p50_ms", "p99_ms", "peak_rss_mib")) {
                List<Double> values = new ArrayList<>();
                for (Map<String, Object> round : rounds) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> t = (Map<String, Object>) round.get(target);
                    if (t != null && t.get(field) instanceof Number number) {
                        values.add(number.doubleValue());
                    }
                }
                if (!values.isEmpty()) {
                    Collections.sort(values);
                    s.put(field, round2(median(values)));
                }
            }
            summary.put(target, s);
        }
        // "Over the stub's own p99": the same round's stub figure, then the median of those.
        for (String target : List.of("baseline", "service")) {
            List<Double> over = new ArrayList<>();
            for (Map<String, Object> round : rounds) {
                Object stubP99 = round.get("stub") instanceof Map<?, ?> stub ? stub.get("p99_ms") : null;
                Object p99 = round.get(target) instanceof Map<?, ?> t ? t.get("p99_ms") : null;
                if (stubP99 instanceof Number a && p99 instanceof Number b) {
                    over.add(b.doubleValue() - a.doubleValue());
                }
            }
            if (!over.isEmpty() && summary.get(target) instanceof Map<?, ?> s) {
                Collections.sort(over);
                @SuppressWarnings("unchecked")
                Map<String, Object> writable = (Map<String, Object>) s;
                writable.put("p99_over_stub_ms", round2(median(over)));
            }
        }
        return summary;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> targets(Map<String, Object> report) {
        Map<String, Object> met = new LinkedHashMap<>();
        Map<String, Object> summary = (Map<String, Object>) report.get("summary");
        Map<String, Object> service = (Map<String, Object>) summary.get("service");
        Map<String, Object> baseline = (Map<String, Object>) summary.get("baseline");
        if (service != null && baseline != null && service.get("warm_req_per_s") != null
                && baseline.get("warm_req_per_s") != null) {
            double ratio = (double) service.get("warm_req_per_s") / (double) baseline.get("warm_req_per_s");
            met.put("warm >= 80% of baseline", verdict(ratio >= 0.8, String.format(Locale.ROOT, "%.0f %%", ratio * 100)));
        }
        if (service != null && service.get("cold_req_per_s") != null && service.get("warm_req_per_s") != null) {
            double ratio = (double) service.get("cold_req_per_s") / (double) service.get("warm_req_per_s");
            met.put("cold >= 1/3 of warm", verdict(ratio >= 1.0 / 3, String.format(Locale.ROOT, "%.2f", ratio)));
        }
        if (service != null && service.get("p99_over_stub_ms") != null) {
            double over = (double) service.get("p99_over_stub_ms");
            met.put("p99 <= stub + 3 ms", verdict(over <= 3, String.format(Locale.ROOT, "+%.2f ms", over)));
        }
        Map<String, Object> batch = (Map<String, Object>) report.get("batch");
        if (batch != null && batch.get("lines_per_s") != null) {
            double rate = (double) batch.get("lines_per_s");
            met.put("batch >= 1500 lines/s", verdict(rate >= 1500, String.format(Locale.ROOT, "%.0f", rate)));
            long rss = (long) batch.get("peak_rss_mib");
            met.put("batch peak RSS <= 450 MiB", verdict(rss <= 450, rss + " MiB"));
        }
        if (service != null && service.get("start_to_ready_s") != null) {
            double start = (double) service.get("start_to_ready_s");
            met.put("start to ready <= 3 s", verdict(start <= 3, String.format(Locale.ROOT, "%.2f s", start)));
        }
        return met;
    }

    static String verdict(boolean ok, String figure) {
        return (ok ? "met (" : "MISSED (") + figure + ")";
    }

    @SuppressWarnings("unchecked")
    void printTable(Map<String, Object> report) {
        System.out.printf("%n%-9s %6s %8s %8s %8s %9s %8s %9s %8s %8s %8s %10s %9s%n", "target", "round", "ready s",
                "CPU-s", "1st ans", "cold r/s", "cpu ms", "warm r/s", "cpu ms", "p50 ms", "p99 ms", "p99-stub", "peak RSS");
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) report.get("rounds");
        for (String target : options.targets) {
            for (int i = 0; i < rounds.size(); i++) {
                Map<String, Object> t = (Map<String, Object>) rounds.get(i).get(target);
                Map<String, Object> stub = (Map<String, Object>) rounds.get(i).get("stub");
                Object over = stub != null && !target.equals("stub") && t.get("p99_ms") instanceof Number p
                                && stub.get("p99_ms") instanceof Number s
                        ? round2(p.doubleValue() - s.doubleValue())
                        : null;
                row(target, String.valueOf(i + 1), t, over);
            }
            if (rounds.size() > 1) {
                Map<String, Object> s = ((Map<String, Map<String, Object>>) report.get("summary")).get(target);
                row(target, "median", s, s.get("p99_over_stub_ms"));
            }
        }
        Map<String, Object> batch = (Map<String, Object>) report.get("batch");
        if (batch != null) {
            System.out.printf(
                    "%nbatch: %s lines, stub %s ms, %s, BATCH_CONCURRENCY %s: %s lines/s (%s ms CPU/line), ready in %s s, peak RSS %s MiB%n",
                    batch.get("lines"), batch.get("stub_delay_ms"), batch.get("jvm_opts"), batch.get("batch_concurrency"),
                    batch.get("lines_per_s"), batch.get("cpu_ms_per_line"), batch.get("start_to_ready_s"),
                    batch.get("peak_rss_mib"));
            if (batch.containsKey("error")) {
                System.out.println("batch: " + batch.get("error"));
            }
        }
        Map<String, Object> met = (Map<String, Object>) report.get("targets_met");
        if (!met.isEmpty()) {
            System.out.println("\nissue 9 targets:");
            met.forEach((k, v) -> System.out.printf("  %-28s %s%n", k, v));
        }
        System.out.println("(ready s: process start to ready; CPU-s: CPU it used until then; 1st ans: s from ready to"
                + " the first answer under load; cpu ms: the target"
                + " process's CPU per answered request in that window; p99-stub: ms over the stub's own p99)");
        System.out.printf("%nload average at start %s, at end %s (2 cores shared: compare runs with care)%n",
                report.get("loadavg_at_start"), report.get("loadavg_at_end"));
    }

    static void row(String target, String round, Map<String, Object> t, Object over) {
        System.out.printf("%-9s %6s %8s %8s %8s %9s %8s %9s %8s %8s %8s %10s %9s%n", target, round,
                fmt(t.get("start_to_ready_s"), ""), fmt(t.get("cpu_to_ready_s"), ""),
                fmt(t.get("first_answer_after_ready_s"), ""), fmt(t.get("cold_req_per_s"), ""),
                fmt(t.get("cold_cpu_ms_per_req"), ""), fmt(t.get("warm_req_per_s"), ""),
                fmt(t.get("warm_cpu_ms_per_req"), ""), fmt(t.get("p50_ms"), ""), fmt(t.get("p99_ms"), ""),
                over == null ? "-" : String.format(Locale.ROOT, "%+.2f", ((Number) over).doubleValue()),
                fmt(t.get("peak_rss_mib"), " MiB"));
    }

    static String fmt(Object value, String unit) {
        if (!(value instanceof Number n)) {
            return "-";
        }
        double d = n.doubleValue();
        return (d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d)) + unit;
    }

    // ------------------------------------------------------------------------------------------
    // Small helpers

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double seconds(long nanos) {
        return round2(nanos / 1e9);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after "pid (comm) ".
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long ticksPerSecond() {
        return 100; // USER_HZ on Linux
    }

    static long peakRssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    static String loadavg() {
        try {
            return Files.readString(Paths.get("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String javaVersion(String java) {
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            String[] lines = out.split("\n");
            return lines.length > 1 ? lines[1].trim() : out.trim();
        } catch (IOException | InterruptedException e) {
            return java;
        }
    }

    static List<String> splitOpts(String opts) {
        List<String> list = new ArrayList<>();
        for (String part : opts.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                list.add(part);
            }
        }
        return list;
    }

    /** The broker journal and the state stores are 100+ MB a run; logs, audit and results stay. */
    static void dropBulkyState(Path dir) throws IOException {
        for (String bulky : List.of("data/broker", "data/state")) {
            Path root = dir.resolve(bulky);
            if (Files.exists(root)) {
                try (Stream<Path> paths = Files.walk(root)) {
                    for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Counts the lines of a file that only grows, reading each byte once. */
    static final class LineCounter {
        final Path file;
        long offset;
        long lines;
        final byte[] buffer = new byte[1 << 16];

        LineCounter(Path file) {
            this.file = file;
        }

        long count() throws IOException {
            if (!Files.exists(file)) {
                return lines;
            }
            try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(file.toFile(), "r")) {
                in.seek(offset);
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    offset += n;
                }
            }
            return lines;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Options

    static final class Options {
        boolean quick;
        String java = "java";
        String jvmOpts = "";
        String heap = "256m";
        String jar = "target/cxone-routes.jar";
        int rounds = 1;
        List<String> targets = List.of("stub", "baseline", "service");
        int concurrency = 50;
        int coldSeconds = 15;
        int warmAtSeconds = 90;
        int warmWindowSeconds = 15;
        int instrumentWarmupSeconds = 5;
        int rate = 200;
        int latencySeconds = 30;
        int latencyDelayMillis = 20;
        boolean drainWebhooks = true;
        int batchLines = 20_000;
        int batchConcurrency = 0;
        String batchHeap = "256m";
        int trainSeconds = 0;
        String out;
        String label = "";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--quick")) {
                    o.quick = true;
                    o.coldSeconds = 5;
                    o.warmAtSeconds = 20;
                    o.warmWindowSeconds = 5;
                    o.latencySeconds = 10;
                    o.instrumentWarmupSeconds = 3;
                    o.batchLines = 5_000;
                    continue;
                }
                if (arg.equals("--no-drain")) {
                    o.drainWebhooks = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + arg);
                }
                String value = args[++i];
                switch (arg) {
                    case "--java" -> o.java = value;
                    case "--jvm-opts" -> o.jvmOpts = value;
                    case "--heap" -> o.heap = value;
                    case "--jar" -> o.jar = value;
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--targets" -> o.targets = List.of(value.split(","));
                    case "--concurrency" -> o.concurrency = Integer.parseInt(value);
                    case "--cold" -> o.coldSeconds = Integer.parseInt(value);
                    case "--warm-at" -> o.warmAtSeconds = Integer.parseInt(value);
                    case "--warm-window" -> o.warmWindowSeconds = Integer.parseInt(value);
                    case "--rate" -> o.rate = Integer.parseInt(value);
                    case "--latency" -> o.latencySeconds = Integer.parseInt(value);
                    case "--delay-ms" -> o.latencyDelayMillis = Integer.parseInt(value);
                    case "--batch-lines" -> o.batchLines = Integer.parseInt(value);
                    case "--batch-concurrency" -> o.batchConcurrency = Integer.parseInt(value);
                    case "--batch-heap" -> o.batchHeap = value;
                    case "--train" -> o.trainSeconds = Integer.parseInt(value);
                    case "--out" -> o.out = value;
                    case "--label" -> o.label = value;
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            return o;
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quick", quick);
            m.put("rounds", rounds);
            m.put("targets", targets);
            m.put("concurrency", concurrency);
            m.put("cold_window_s", coldSeconds);
            m.put("warm_window_s", List.of(warmAtSeconds, warmAtSeconds + warmWindowSeconds));
            m.put("latency_rate_per_s", rate);
            m.put("latency_phase_s", latencySeconds);
            m.put("latency_stub_delay_ms", latencyDelayMillis);
            m.put("batch_lines", batchLines);
            m.put("batch_heap", batchHeap);
            return m;
        }
    }

    /** Just enough JSON for the report: maps, lists, strings, numbers, booleans, null. */
    static final class Json {
        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out, "");
            return out.toString();
        }

        static void write(Object value, StringBuilder out, String indent) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map<?, ?> map) {
                out.append("{");
                String inner = indent + "  ";
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.append(first ? "\n" : ",\n").append(inner);
                    string(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), out, inner);
                    first = false;
                }
                out.append(first ? "}" : "\n" + indent + "}");
            } else if (value instanceof List<?> list) {
                boolean numbers = list.stream().allMatch(v -> v instanceof Number);
                out.append("[");
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(numbers ? ", " : ",");
                    }
                    if (!numbers) {
                        out.append("\n").append(indent).append("  ");
                    }
                    write(list.get(i), out, indent + "  ");
                }
                out.append(numbers || list.isEmpty() ? "]" : "\n" + indent + "]");
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                string(String.valueOf(value), out);
            }
        }

        static void string(String s, StringBuilder out) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
