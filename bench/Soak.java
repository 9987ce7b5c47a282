import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The soak of issue 10 item 5 (bench/README.md, "Soak"): the packaged service in live mode against
 * the bench's stub CXone answering a share of calls 429 or 5xx, a CTI webhook receiver in this
 * process that fails a share of deliveries, and mixed traffic for minutes: HTTP handoffs (JSON and
 * form), HTTP bridges, JMS bridge and handoff commands on the embedded broker, drop files. Then it
 * counts, from outside: every answered request has exactly one audit line, every drop-file line one
 * result and one event, every event exactly one successful webhook delivery; and whether heap after
 * GC, threads and open files stayed flat. Started by bench/soak.sh; exits 1 when a guarantee failed.
 *
 * <p>Reuses Bench (service start-up, process handling, JSON) and CxoneStubServer (with its fault
 * percentages).
 */
public class Soak {

    static final Pattern REQUEST_ID = Pattern.compile("\"request_id\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern EVENT_TYPE = Pattern.compile("\"event_type\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern FILE = Pattern.compile("\"file\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern SOURCE = Pattern.compile("\"source\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern STATUS_CODE = Pattern.compile("\"status_code\"\\s*:\\s*(\\d+)");
    static final Pattern SUCCESS = Pattern.compile("\"success\"\\s*:\\s*(true|false)");
    static final Pattern LINE = Pattern.compile("\"line\"\\s*:\\s*(\\d+)");
    static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    final Settings settings;
    final Bench bench;
    final String runId = Long.toString(System.currentTimeMillis(), 36);
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Every request the generator got an answer for: request id → what it was and its status. */
    final Map<String, Answer> answered = new ConcurrentHashMap<>();
    final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    final Map<String, String> jmsPending = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> sentByKind = new ConcurrentHashMap<>();
    final AtomicLong shed = new AtomicLong();
    final AtomicLong extraJmsReplies = new AtomicLong();
    final AtomicLong sequence = new AtomicLong();
    final List<String> recentKeys = new CopyOnWriteArrayList<>();
    final List<String> droppedFiles = new CopyOnWriteArrayList<>();
    final Map<String, Integer> fileLines = new ConcurrentHashMap<>();
    final Receiver receiver;
    final List<Map<String, Object>> samples = new CopyOnWriteArrayList<>();

    Bench.Service service;
    Path dataDir;
    long loadStartNanos;

    record Answer(String kind, int status) {}

    Soak(Settings settings, Bench bench) throws IOException {
        this.settings = settings;
        this.bench = bench;
        this.receiver = new Receiver(settings.webhookFailPercent, Bench.WEBHOOK_SECRET);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Bench.Options options = new Bench.Options();
        options.java = settings.java;
        options.jvmOpts = settings.jvmOpts;
        Bench bench = new Bench(options);
        int exit;
        try {
            exit = new Soak(settings, bench).run();
        } catch (Exception e) {
            e.printStackTrace();
            System.out.println("soak could not run: " + e + " (logs: " + bench.work + ")");
            exit = 2;
        } finally {
            bench.started.forEach(p -> {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            });
        }
        System.exit(exit);
    }

    // ------------------------------------------------------------------------------------------
    // The run

    int run() throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("timestamp", Instant.now().toString());
        report.put("git_commit", System.getProperty("bench.commit", ""));
        report.put("settings", settings.asMap());
        report.put("loadavg_at_start", Bench.loadavg());
        System.out.printf("cxone-routes soak: %d min of load, work dir %s%n", settings.minutes, bench.work);

        Path stubDir = bench.work.resolve("stub");
        Files.createDirectories(stubDir);
        int stubPort = Bench.freePort();
        Process stubProcess = bench.start(
                List.of("java", "-XX:+UseSerialGC", "-Xmx128m", "-cp", bench.classes.toString(), "CxoneStubServer",
                        String.valueOf(stubPort), String.valueOf(settings.stubDelayMillis), "0",
                        String.valueOf(settings.throttlePercent), String.valueOf(settings.serverErrorPercent)),
                stubDir,
                Map.of(),
                stubDir.resolve("stub.log"));
        bench.awaitOk(URI.create("http://127.0.0.1:" + stubPort + "/stats"), stubProcess, 60);
        int receiverPort = receiver.start();
        Bench.Stub stub = new Bench.Stub(stubProcess, stubPort, receiverPort);

        Path serviceDir = bench.work.resolve("service");
        Files.createDirectories(serviceDir);
        dataDir = serviceDir.resolve("data");
        int jmsPort = Bench.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JMS_EMBEDDED_PORT", String.valueOf(jmsPort));
        // A shorter webhook retry schedule, so the outbox drains within minutes of the load's end.
        env.put("CTI_WEBHOOK_RETRY_FIRST_DELAY_MILLIS", "1000");
        env.put("CTI_WEBHOOK_RETRY_MAX_DELAY_SECONDS", "10");
        env.put("CTI_WEBHOOK_RETRY_BUDGET_SECONDS", String.valueOf(settings.webhookBudgetSeconds));
        env.put("INSTANCE_ID", "soak");
        service = bench.startService(serviceDir, stub, settings.jvmOpts, env);
        System.out.printf("service pid %d ready in %.1f s (%s)%n",
                service.process().pid(), service.startToReadySeconds(), settings.jvmOpts);
        report.put("service_start_to_ready_s", service.startToReadySeconds());

        Jms jms = new Jms("tcp://127.0.0.1:" + jmsPort);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(settings.workers, settings.workers, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.rate * 30));
        var scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "soak-timer");
            t.setDaemon(true);
            return t;
        });

        loadStartNanos = System.nanoTime();
        long loadSeconds = settings.minutes * 60L;
        scheduler.scheduleAtFixedRate(this::sample, 0, settings.sampleSeconds, TimeUnit.SECONDS);
        scheduler.scheduleAtFixedRate(this::dropFileQuietly, 5, settings.fileEverySeconds, TimeUnit.SECONDS);

        // Open model: request i is due at i / rate; a stall does not lower the offered load.
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / settings.rate;
        long due = loadStartNanos;
        long end = loadStartNanos + TimeUnit.SECONDS.toNanos(loadSeconds);
        long nextProgress = loadStartNanos + TimeUnit.SECONDS.toNanos(60);
        while (due < end) {
            Bench.sleepUntil(due);
            if (System.nanoTime() >= nextProgress) {
                progress();
                nextProgress += TimeUnit.SECONDS.toNanos(60);
            }
            try {
                dispatch(workers, jms);
            } catch (RejectedExecutionException full) {
                shed.incrementAndGet();
            }
            due += periodNanos;
        }
        scheduler.shutdown(); // a sample or a file being written finishes first
        scheduler.awaitTermination(60, TimeUnit.SECONDS);
        System.out.println("load over; waiting for answers, drop files and webhook deliveries");

        workers.shutdown();
        boolean allHttp = workers.awaitTermination(240, TimeUnit.SECONDS);
        awaitCondition(() -> jmsPending.isEmpty(), 240);
        jms.close();
        boolean allFiles = awaitCondition(this::allFilesProcessed, 300);
        sample(); // after the load, before the webhook drain
        long drainStart = System.nanoTime();
        boolean drained = awaitCondition(this::webhooksCaughtUp, settings.webhookBudgetSeconds + 90);
        double drainSeconds = Bench.seconds(System.nanoTime() - drainStart);
        Thread.sleep(10_000); // late repeats of a delivery would show up here
        sample();

        report.put("load", loadFigures(allHttp));
        Map<String, Object> audit = auditCheck();
        report.put("audit", audit);
        Map<String, Object> files = fileCheck(allFiles);
        report.put("drop_files", files);
        Map<String, Object> webhooks = webhookCheck(drained, drainSeconds);
        report.put("webhooks", webhooks);
        report.put("resources", resourceFigures());
        report.put("stub", bench.stubStats(stub));
        Map<String, Object> metrics = metrics();
        report.put("metrics", metrics);
        report.put("metrics_vs_audit", metricsCheck(metrics));
        report.put("loadavg_at_end", Bench.loadavg());
        bench.stop(service.process(), 20);
        Bench.dropBulkyState(serviceDir); // the broker journal and state store: 100+ MB, nothing to read
        bench.stop(stubProcess, 5);
        receiver.stop();

        Map<String, Object> verdicts = verdicts(report);
        report.put("guarantees", verdicts);
        boolean ok = verdicts.values().stream().noneMatch(v -> String.valueOf(v).startsWith("FAIL"));
        report.put("passed", ok);
        printTable(report);

        Path out = settings.out != null
                ? Paths.get(settings.out)
                : bench.repo.resolve("bench/results/soak-"
                        + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
                        + ".json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Bench.Json.write(report) + "\n");
        System.out.println("JSON: " + out);
        System.out.println("logs, audit, results: " + bench.work);
        System.out.println(ok ? "SOAK PASSED" : "SOAK FAILED: a guarantee did not hold (see above)");
        return ok ? 0 : 1;
    }

    // ------------------------------------------------------------------------------------------
    // Traffic

    /** One request of the mix; the shares are of the --rate requests per second. */
    void dispatch(ThreadPoolExecutor workers, Jms jms) {
        int roll = ThreadLocalRandom.current().nextInt(100);
        String id = "soak-" + runId + "-" + sequence.incrementAndGet();
        if (roll < 30) {
            workers.execute(() -> handoffJson(id));
        } else if (roll < 45) {
            workers.execute(() -> handoffForm(id));
        } else if (roll < 47) {
            workers.execute(() -> handoffReplay(id));
        } else if (roll < 72) {
            workers.execute(() -> bridgeHttp(id, true));
        } else if (roll < 75) {
            workers.execute(() -> bridgeHttp(id, false));
        } else if (roll < 95) {
            workers.execute(() -> jms.send(id, "cxone.bridge", bridgeCommand(id, true)));
        } else {
            workers.execute(() -> jms.send(id, "cxone.handoff", handoffBody()));
        }
    }

    static String handoffBody() {
        return "{\"dtmf_sequence\":\"12#\",\"voice_history\":{\"queue_name\":\"billing\",\"duration\":42},"
                + "\"caller_id\":\"+15551234567\",\"language_preference\":\"en-GB\"}";
    }

    static String bridgeCommand(String callId, boolean valid) {
        String target = valid ? "+15557654321" : "not-a-number";
        return "{\"callId\":\"" + callId + "\",\"targets\":[{\"type\":\"phone\",\"value\":\"" + target
                + "\"}],\"direction\":\"outbound\",\"bridgeMatrix\":[{\"source\":0,\"target\":1}]}";
    }

    void handoffJson(String id) {
        String key = "key-" + id;
        if (recentKeys.size() < 200) {
            recentKeys.add(key);
        } else {
            recentKeys.set(ThreadLocalRandom.current().nextInt(200), key);
        }
        post("handoff_json", id, Bench.HANDOFF_PATH, "application/json", handoffBody(), key);
    }

    void handoffForm(String id) {
        String form = "dtmf_sequence=" + enc("3*9") + "&voice_history=" + enc("{\"queue_name\":\"sales\",\"duration\":7}")
                + "&caller_id=" + enc("+15550001111");
        post("handoff_form", id, Bench.HANDOFF_PATH, "application/x-www-form-urlencoded", form, null);
    }

    /** A repeat of an earlier Idempotency-Key: answered from the store, still one event of its own. */
    void handoffReplay(String id) {
        String key = recentKeys.isEmpty() ? "key-" + id : recentKeys.get(ThreadLocalRandom.current().nextInt(recentKeys.size()));
        post("handoff_replay", id, Bench.HANDOFF_PATH, "application/json", handoffBody(), key);
    }

    void bridgeHttp(String id, boolean valid) {
        String body = "{\"targets\":[{\"type\":\"phone\",\"value\":\"" + (valid ? "+15557654321" : "12ab")
                + "\"}],\"direction\":\"transfer\"}";
        post(valid ? "bridge_http" : "bridge_http_invalid", id, "/api/v1/calls/" + id + "/bridge", "application/json",
                body, ThreadLocalRandom.current().nextBoolean() ? "key-" + id : null);
    }

    void post(String kind, String id, String path, String contentType, String body, String idempotencyKey) {
        sentByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .timeout(Duration.ofSeconds(settings.answerTimeoutSeconds))
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .header("X-API-Key", Bench.API_KEY)
                .header("X-Request-ID", id)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            answered.put(id, new Answer(kind, response.statusCode()));
        } catch (IOException e) {
            unanswered.add(id);
        } catch (InterruptedException e) {
            unanswered.add(id);
            Thread.currentThread().interrupt();
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** JMS commands with a reply queue: a reply is the answer; correlation id = request id. */
    final class Jms {
        final ActiveMQConnectionFactory factory;
        final Connection connection;
        final Session producerSession;
        final MessageProducer producer;
        final TemporaryQueue replies;
        final Map<String, Queue> queues = new HashMap<>();

        Jms(String url) throws JMSException {
            factory = new ActiveMQConnectionFactory(url);
            connection = factory.createConnection();
            producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = producerSession.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            replies = producerSession.createTemporaryQueue();
            Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = consumerSession.createConsumer(replies);
            consumer.setMessageListener(this::onReply);
            connection.start();
        }

        /** Sessions are single-threaded: sends are serialised (a few per second). */
        synchronized void send(String id, String queueName, String body) {
            String kind = queueName.endsWith("bridge") ? "bridge_jms" : "handoff_jms";
            sentByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            try {
                TextMessage message = producerSession.createTextMessage(body);
                message.setJMSReplyTo(replies);
                message.setJMSCorrelationID(id);
                message.setStringProperty("request_id", id);
                jmsPending.put(id, kind);
                producer.send(queues.computeIfAbsent(queueName, this::queue), message);
            } catch (JMSException e) {
                jmsPending.remove(id);
                unanswered.add(id);
            }
        }

        Queue queue(String name) {
            try {
                return producerSession.createQueue(name);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        }

        void onReply(Message reply) {
            try {
                String id = reply.getJMSCorrelationID();
                String kind = jmsPending.remove(id);
                int status = reply.propertyExists("status") ? reply.getIntProperty("status") : -1;
                if (kind == null) {
                    extraJmsReplies.incrementAndGet(); // a second reply: the command was handled twice
                } else {
                    answered.put(id, new Answer(kind, status));
                }
            } catch (JMSException e) {
                System.out.println("unreadable JMS reply: " + e);
            }
        }

        void close() throws JMSException {
            jmsPending.keySet().forEach(unanswered::add);
            connection.close();
            factory.close();
        }
    }

    void dropFileQuietly() {
        try {
            dropFile();
        } catch (Exception e) {
            System.out.println("drop file failed: " + e);
        }
    }

    /** A file of bridge commands: a comment, a blank line, valid commands and one invalid line. */
    void dropFile() throws IOException {
        int number = droppedFiles.size() + 1;
        String name = "soak-" + runId + "-" + number + ".jsonl";
        Path inbox = dataDir.resolve("inbox/bridge");
        Files.createDirectories(inbox);
        StringBuilder content = new StringBuilder("# soak file ").append(number).append("\n\n");
        int lines = 2;
        for (int i = 1; i <= settings.fileLines; i++) {
            String id = "soak-" + runId + "-f" + number + "-" + i;
            String command = i == settings.fileLines / 2
                    ? bridgeCommand(id, false)
                    : bridgeCommand(id, true).replace("}]}", "}],\"requestId\":\"" + id + "\"}");
            content.append(command).append('\n');
            lines++;
        }
        Path tmp = inbox.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        fileLines.put(name, lines);
        droppedFiles.add(name);
    }

    boolean allFilesProcessed() {
        return droppedFiles.stream().allMatch(f -> Files.exists(dataDir.resolve("processed/bridge").resolve(f)));
    }

    void progress() {
        System.out.printf("  %3.0f s: answered %d, no answer %d, shed %d, files %d, webhook ids %d (2xx %d)%n",
                Bench.seconds(System.nanoTime() - loadStartNanos), answered.size(), unanswered.size(), shed.get(),
                droppedFiles.size(), receiver.deliveries.size(), receiver.successes.get());
    }

    static boolean awaitCondition(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(1000);
        }
        return condition.getAsBoolean();
    }

    // ------------------------------------------------------------------------------------------
    // The webhook receiver: fails a share of deliveries, records every attempt by webhook-id

    static final class Receiver {
        final int failPercent;
        final byte[] key;
        final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong failedOnPurpose = new AtomicLong();
        final AtomicLong successes = new AtomicLong();
        final AtomicLong badSignatures = new AtomicLong();
        final AtomicLong missingHeaders = new AtomicLong();
        HttpServer server;

        static final class Delivery {
            final AtomicInteger attempts = new AtomicInteger();
            final AtomicInteger successes = new AtomicInteger();
            volatile String eventKey;
            volatile String bodyHash;
            volatile boolean bodyChanged;
        }

        Receiver(int failPercent, String secret) {
            this.failPercent = failPercent;
            this.key = secret.startsWith("whsec_")
                    ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                    : secret.getBytes(StandardCharsets.UTF_8);
        }

        int start() throws IOException {
            int port = Bench.freePort();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/webhook", this::handle);
            server.start();
            return port;
        }

        void stop() {
            server.stop(0);
        }

        void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            attempts.incrementAndGet();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            if (id == null || timestamp == null || signature == null) {
                missingHeaders.incrementAndGet();
                respond(exchange, 400);
                return;
            }
            if (!signatureValid(id, timestamp, body, signature)) {
                badSignatures.incrementAndGet();
            }
            String text = new String(body, StandardCharsets.UTF_8);
            Delivery delivery = deliveries.computeIfAbsent(id, k -> new Delivery());
            String hash = sha256(body);
            synchronized (delivery) {
                if (delivery.bodyHash == null) {
                    delivery.bodyHash = hash;
                    delivery.eventKey = eventKey(text);
                } else if (!delivery.bodyHash.equals(hash)) {
                    delivery.bodyChanged = true;
                }
            }
            delivery.attempts.incrementAndGet();
            int roll = ThreadLocalRandom.current().nextInt(100);
            if (roll < failPercent) {
                failedOnPurpose.incrementAndGet();
                if (roll % 4 == 0) {
                    exchange.close(); // no answer at all: the connection just drops
                } else {
                    respond(exchange, roll % 2 == 0 ? 500 : 503);
                }
                return;
            }
            delivery.successes.incrementAndGet();
            successes.incrementAndGet();
            respond(exchange, 204);
        }

        boolean signatureValid(String id, String timestamp, byte[] body, String header) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
                for (String candidate : header.split(" ")) {
                    if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                            candidate.getBytes(StandardCharsets.UTF_8))) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        }

        static void respond(HttpExchange exchange, int status) throws IOException {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What identifies an event: its type and request id, or for a batch_completed its file. */
    static String eventKey(String json) {
        String type = find(EVENT_TYPE, json);
        if ("batch_completed".equals(type)) {
            return type + ":" + find(FILE, json);
        }
        return type + ":" + find(REQUEST_ID, json);
    }

    static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    // ------------------------------------------------------------------------------------------
    // Checks

    List<String> auditLines() {
        List<String> lines = new ArrayList<>();
        Path dir = dataDir.resolve("audit");
        if (!Files.isDirectory(dir)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    /** Every audit event delivered, or given up on (dead-lettered: the check then fails at once). */
    boolean webhooksCaughtUp() {
        Set<String> settled = ConcurrentHashMap.newKeySet();
        receiver.deliveries.values().forEach(d -> {
            if (d.successes.get() > 0) {
                settled.add(d.eventKey);
            }
        });
        Path deadLetters = dataDir.resolve("dead-letter/cti-webhook.jsonl");
        if (Files.exists(deadLetters)) {
            try {
                Files.readAllLines(deadLetters).stream().filter(l -> !l.isBlank()).map(Soak::eventKey).forEach(settled::add);
            } catch (IOException e) {
                return false;
            }
        }
        return auditLines().stream().map(Soak::eventKey).allMatch(settled::contains);
    }

    Map<String, Object> loadFigures(boolean allHttpFinished) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", settings.minutes * 60);
        Map<String, Object> sent = new LinkedHashMap<>();
        sentByKind.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sent.put(e.getKey(), e.getValue().get()));
        m.put("sent_by_kind", sent);
        m.put("answered", answered.size());
        Map<String, Long> statuses = new java.util.TreeMap<>();
        answered.values().forEach(a -> statuses.merge(a.kind() + " " + a.status(), 1L, Long::sum));
        m.put("answers_by_kind_and_status", statuses);
        m.put("no_answer", unanswered.size());
        m.put("no_answer_sample", unanswered.stream().limit(5).toList());
        m.put("shed_by_generator", shed.get());
        m.put("extra_jms_replies", extraJmsReplies.get());
        m.put("all_http_finished", allHttpFinished);
        m.put("drop_files", droppedFiles.size());
        return m;
    }

    /** Every answered request: exactly one audit line, with the status the caller saw. */
    Map<String, Object> auditCheck() {
        List<String> lines = auditLines();
        Map<String, Integer> countById = new HashMap<>();
        Map<String, Integer> statusById = new HashMap<>();
        Map<String, Long> bySource = new java.util.TreeMap<>();
        for (String line : lines) {
            String type = find(EVENT_TYPE, line);
            bySource.merge(type + "/" + find(SOURCE, line), 1L, Long::sum);
            if ("batch_completed".equals(type)) {
                continue;
            }
            String id = find(REQUEST_ID, line);
            countById.merge(id, 1, Integer::sum);
            String status = find(STATUS_CODE, line);
            statusById.put(id, status == null ? -1 : Integer.parseInt(status));
        }
        long lost = 0;
        long duplicated = 0;
        long statusMismatch = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, Answer> e : answered.entrySet()) {
            int count = countById.getOrDefault(e.getKey(), 0);
            if (count == 0) {
                lost++;
                if (examples.size() < 5) {
                    examples.add("lost " + e.getKey() + " " + e.getValue());
                }
            } else if (count > 1) {
                duplicated++;
                if (examples.size() < 5) {
                    examples.add("x" + count + " " + e.getKey());
                }
            } else if (statusById.get(e.getKey()) != e.getValue().status()) {
                statusMismatch++;
                if (examples.size() < 5) {
                    examples.add("status " + e.getKey() + " answered " + e.getValue().status() + ", audit "
                            + statusById.get(e.getKey()));
                }
            }
        }
        Set<String> fileIds = resultIds().keySet();
        long unknown = countById.keySet().stream()
                .filter(id -> !answered.containsKey(id) && !unanswered.contains(id) && !fileIds.contains(id))
                .count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("audit_lines", lines.size());
        m.put("lines_by_type_and_source", bySource);
        m.put("answered_requests", answered.size());
        m.put("lost", lost);
        m.put("duplicated", duplicated);
        m.put("status_mismatch", statusMismatch);
        m.put("lines_of_unknown_requests", unknown);
        m.put("examples", examples);
        return m;
    }

    /** request_id → number of result lines carrying it, over every drop file's results. */
    Map<String, Integer> resultIds() {
        Map<String, Integer> ids = new HashMap<>();
        for (String file : droppedFiles) {
            Path results = dataDir.resolve("outbox/bridge").resolve(file + ".results.jsonl");
            if (Files.exists(results)) {
                try {
                    for (String line : Files.readAllLines(results)) {
                        if (!line.isBlank()) {
                            ids.merge(find(REQUEST_ID, line), 1, Integer::sum);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ids;
    }

    /** Every command line of every file: one result line; every result: one event; one batch_completed. */
    Map<String, Object> fileCheck(boolean allProcessed) throws IOException {
        List<String> audit = auditLines();
        Map<String, Integer> eventsById = new HashMap<>();
        Map<String, Integer> completedByFile = new HashMap<>();
        for (String line : audit) {
            if ("batch_completed".equals(find(EVENT_TYPE, line))) {
                completedByFile.merge(find(FILE, line), 1, Integer::sum);
            } else if ("file".equals(find(SOURCE, line))) {
                eventsById.merge(find(REQUEST_ID, line), 1, Integer::sum);
            }
        }
        long expectedLines = 0;
        long missingResults = 0;
        long duplicatedResults = 0;
        long resultLines = 0;
        long lostEvents = 0;
        long duplicatedEvents = 0;
        long notProcessed = 0;
        long completedWrong = 0;
        for (String file : droppedFiles) {
            int commands = fileLines.get(file) - 2; // the comment and the blank line get no result
            expectedLines += commands;
            Map<Integer, Integer> byLine = new HashMap<>();
            Path results = dataDir.resolve("outbox/bridge").resolve(file + ".results.jsonl");
            if (Files.exists(results)) {
                for (String line : Files.readAllLines(results)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    resultLines++;
                    byLine.merge(Integer.parseInt(find(LINE, line)), 1, Integer::sum);
                    int events = eventsById.getOrDefault(find(REQUEST_ID, line), 0);
                    if (events == 0) {
                        lostEvents++;
                    } else if (events > 1) {
                        duplicatedEvents++;
                    }
                }
            }
            for (int n = 3; n < 3 + commands; n++) {
                int count = byLine.getOrDefault(n, 0);
                if (count == 0) {
                    missingResults++;
                } else if (count > 1) {
                    duplicatedResults++;
                }
            }
            if (!Files.exists(dataDir.resolve("processed/bridge").resolve(file))) {
                notProcessed++;
            }
            if (completedByFile.getOrDefault(file, 0) != 1) {
                completedWrong++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", droppedFiles.size());
        m.put("command_lines", expectedLines);
        m.put("result_lines", resultLines);
        m.put("lines_without_result", missingResults);
        m.put("lines_with_several_results", duplicatedResults);
        m.put("results_without_event", lostEvents);
        m.put("results_with_several_events", duplicatedEvents);
        m.put("files_not_in_processed", notProcessed);
        m.put("files_without_exactly_one_batch_completed", completedWrong);
        m.put("all_processed_in_time", allProcessed);
        return m;
    }

    /** Every audit event: exactly one webhook-id with exactly one 2xx; every 2xx for a known event. */
    Map<String, Object> webhookCheck(boolean drained, double drainSeconds) throws IOException {
        Map<String, Integer> auditKeys = new HashMap<>();
        auditLines().forEach(l -> auditKeys.merge(eventKey(l), 1, Integer::sum));
        Map<String, Integer> idsByKey = new HashMap<>();
        long severalSuccesses = 0;
        long neverSucceeded = 0;
        long bodyChanged = 0;
        long maxAttempts = 0;
        for (Receiver.Delivery d : receiver.deliveries.values()) {
            maxAttempts = Math.max(maxAttempts, d.attempts.get());
            if (d.bodyChanged) {
                bodyChanged++;
            }
            if (d.successes.get() > 1) {
                severalSuccesses++;
            } else if (d.successes.get() == 0) {
                neverSucceeded++;
            }
            if (d.successes.get() > 0) {
                idsByKey.merge(d.eventKey, 1, Integer::sum);
            }
        }
        long lost = auditKeys.keySet().stream().filter(k -> !idsByKey.containsKey(k)).count();
        long eventsUnderSeveralIds = idsByKey.values().stream().filter(n -> n > 1).count();
        long deliveredNotAudited = idsByKey.keySet().stream().filter(k -> !auditKeys.containsKey(k)).count();
        Path deadLetters = dataDir.resolve("dead-letter/cti-webhook.jsonl");
        long deadLettered = Files.exists(deadLetters)
                ? Files.readAllLines(deadLetters).stream().filter(l -> !l.isBlank()).count()
                : 0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events_in_audit", auditKeys.size());
        m.put("webhook_ids", receiver.deliveries.size());
        m.put("attempts", receiver.attempts.get());
        m.put("failed_on_purpose", receiver.failedOnPurpose.get());
        m.put("successes", receiver.successes.get());
        m.put("max_attempts_of_one_id", maxAttempts);
        m.put("lost", lost);
        m.put("ids_with_several_2xx", severalSuccesses);
        m.put("events_delivered_under_several_ids", eventsUnderSeveralIds);
        m.put("ids_never_2xx", neverSucceeded);
        m.put("delivered_not_in_audit", deliveredNotAudited);
        m.put("ids_whose_body_changed", bodyChanged);
        m.put("bad_signatures", receiver.badSignatures.get());
        m.put("missing_headers", receiver.missingHeaders.get());
        m.put("dead_lettered", deadLettered);
        m.put("drained", drained);
        m.put("drain_s", Bench.round1(drainSeconds));
        return m;
    }

    // ------------------------------------------------------------------------------------------
    // Resources

    /** Heap after a full GC (jcmd), threads and open files (/proc) of the service. */
    void sample() {
        long pid = service.process().pid();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("t_s", Bench.round1(Bench.seconds(System.nanoTime() - loadStartNanos)));
        try {
            s.put("heap_after_gc_mib", heapAfterGcMib(jcmd(), pid));
            for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    s.put("threads", Long.parseLong(line.replaceAll("[^0-9]", "")));
                } else if (line.startsWith("VmRSS:")) {
                    s.put("rss_mib", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                }
            }
            try (Stream<Path> fds = Files.list(Paths.get("/proc/" + pid + "/fd"))) {
                s.put("fds", fds.count());
            }
            s.put("cpu_s", Bench.round1(Bench.cpuTicks(pid) / (double) Bench.ticksPerSecond()));
            s.put("answered", answered.size());
            samples.add(s);
        } catch (Exception e) {
            System.out.println("sample failed: " + e);
        }
    }

    /** The jcmd of the service's JDK (attaching across JDK versions is not promised). */
    String jcmd() {
        Path java = Paths.get(settings.java);
        Path beside = java.getParent() == null ? null : java.getParent().resolve("jcmd");
        return beside != null && Files.isExecutable(beside) ? beside.toString() : "jcmd";
    }

    static double heapAfterGcMib(String jcmd, long pid) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
        Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        Matcher m = HEAP_USED.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info: " + out);
        }
        return Bench.round1(Long.parseLong(m.group(1)) / 1024.0);
    }

    /**
     * Flat means: the median of the last minute's samples is at most the median of minute 2 (60–120 s
     * into the load) plus a slack: heap 20 % or 16 MiB, threads 10 % or 5, open files 10 % or 10,
     * whichever is larger. Only growth counts. A run shorter than 3 minutes is not judged.
     */
    Map<String, Object> resourceFigures() {
        long loadSeconds = settings.minutes * 60L;
        List<Map<String, Object>> during = samples.stream()
                .filter(s -> ((Number) s.get("t_s")).doubleValue() <= loadSeconds + 1)
                .toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("criterion", "last-minute median <= minute-2 median + max(heap 20 % | 16 MiB, threads 10 % | 5,"
                + " fds 10 % | 10); runs under 3 min not judged");
        m.put("heap_after_gc_mib", flatness(during, "heap_after_gc_mib", 0.20, 16, loadSeconds));
        m.put("threads", flatness(during, "threads", 0.10, 5, loadSeconds));
        m.put("fds", flatness(during, "fds", 0.10, 10, loadSeconds));
        m.put("rss_mib", flatness(during, "rss_mib", -1, -1, loadSeconds)); // shown, not judged: the heap may grow to -Xmx
        m.put("samples", samples);
        return m;
    }

    Map<String, Object> flatness(List<Map<String, Object>> during, String field, double ratio, double floor, long loadSeconds) {
        List<Double> minute2 = values(during, field, 60, 120);
        List<Double> last = values(during, field, loadSeconds - 60, loadSeconds + 1);
        List<Double> all = values(during, field, 0, loadSeconds + 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minute_2_median", minute2.isEmpty() ? null : Bench.round1(Bench.median(minute2)));
        m.put("last_minute_median", last.isEmpty() ? null : Bench.round1(Bench.median(last)));
        m.put("min", all.isEmpty() ? null : Bench.round1(all.get(0)));
        m.put("max", all.isEmpty() ? null : Bench.round1(all.get(all.size() - 1)));
        if (ratio < 0 || loadSeconds < 180 || minute2.isEmpty() || last.isEmpty()) {
            m.put("flat", "not judged");
            return m;
        }
        double base = Bench.median(minute2);
        double allowed = base + Math.max(base * ratio, floor);
        double end = Bench.median(last);
        m.put("allowed_up_to", Bench.round1(allowed));
        m.put("growth_percent", Bench.round1((end - base) * 100 / Math.max(1, base)));
        m.put("flat", end <= allowed);
        return m;
    }

    static List<Double> values(List<Map<String, Object>> samples, String field, double from, double to) {
        List<Double> v = new ArrayList<>();
        for (Map<String, Object> s : samples) {
            double t = ((Number) s.get("t_s")).doubleValue();
            if (t >= from && t < to && s.get(field) instanceof Number n) {
                v.add(n.doubleValue());
            }
        }
        v.sort(null);
        return v;
    }

    Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            String text = bench.control.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + service.managementPort() + "/observe/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            text.lines()
                    .filter(l -> l.startsWith("cti_webhook_deliveries_total") || l.startsWith("cxone_retries_total")
                            || l.startsWith("cxone_handoff_requests_total") || l.startsWith("cxone_bridge_requests_total"))
                    .forEach(l -> {
                        int space = l.lastIndexOf(' ');
                        m.put(l.substring(0, space), Double.parseDouble(l.substring(space + 1)));
                    });
        } catch (Exception e) {
            m.put("error", e.toString());
        }
        return m;
    }

    /**
     * The request counters (recorded off the answer's path) against the audit, per operation, source
     * and outcome: once the load is over they must agree exactly.
     */
    Map<String, Object> metricsCheck(Map<String, Object> metrics) {
        Map<String, Long> fromAudit = new java.util.TreeMap<>();
        for (String line : auditLines()) {
            String type = find(EVENT_TYPE, line);
            if (type == null || type.equals("batch_completed")) {
                continue;
            }
            String operation = type.replace("_attempt", "");
            String outcome = "true".equals(find(SUCCESS, line)) ? "success" : "error";
            fromAudit.merge("cxone_" + operation + "_requests_total{outcome=\"" + outcome + "\",source=\""
                    + find(SOURCE, line) + "\"}", 1L, Long::sum);
        }
        List<String> differences = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(fromAudit.keySet());
        metrics.keySet().stream().filter(k -> k.contains("_requests_total")).forEach(names::add);
        for (String name : names) {
            long audited = fromAudit.getOrDefault(name, 0L);
            long counted = metrics.get(name) instanceof Number n ? n.longValue() : 0;
            if (audited != counted) {
                differences.add(name + " audit " + audited + ", metric " + counted);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("series_compared", names.size());
        m.put("differences", differences.size());
        m.put("examples", differences.stream().limit(5).toList());
        return m;
    }

    // ------------------------------------------------------------------------------------------
    // Verdicts and the table

    @SuppressWarnings("unchecked")
    Map<String, Object> verdicts(Map<String, Object> report) {
        Map<String, Object> load = (Map<String, Object>) report.get("load");
        Map<String, Object> audit = (Map<String, Object>) report.get("audit");
        Map<String, Object> files = (Map<String, Object>) report.get("drop_files");
        Map<String, Object> hooks = (Map<String, Object>) report.get("webhooks");
        Map<String, Object> res = (Map<String, Object>) report.get("resources");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("every request answered", zero(load, "no_answer"));
        v.put("JMS: one reply per command", zero(load, "extra_jms_replies"));
        v.put("audit: no answered request lost", zero(audit, "lost"));
        v.put("audit: none duplicated", zero(audit, "duplicated"));
        v.put("audit: status as answered", zero(audit, "status_mismatch"));
        v.put("audit: no line of an unknown request", zero(audit, "lines_of_unknown_requests"));
        v.put("files: every line one result", sum(files, "lines_without_result", "lines_with_several_results"));
        v.put("files: every result one event", sum(files, "results_without_event", "results_with_several_events"));
        v.put("files: processed, one batch_completed",
                sum(files, "files_not_in_processed", "files_without_exactly_one_batch_completed"));
        v.put("webhooks: none lost", zero(hooks, "lost"));
        v.put("webhooks: none duplicated", sum(hooks, "ids_with_several_2xx", "events_delivered_under_several_ids"));
        v.put("webhooks: signed, same body per id", sum(hooks, "bad_signatures", "ids_whose_body_changed"));
        v.put("webhooks: nothing dead-lettered", zero(hooks, "dead_lettered"));
        v.put("metrics: request counters = audit", zero((Map<String, Object>) report.get("metrics_vs_audit"), "differences"));
        for (String field : List.of("heap_after_gc_mib", "threads", "fds")) {
            Map<String, Object> f = (Map<String, Object>) res.get(field);
            Object flat = f.get("flat");
            String detail = f.get("minute_2_median") + " -> " + f.get("last_minute_median");
            v.put("flat: " + field, flat instanceof Boolean b ? (b ? "ok " : "FAIL ") + detail : "n/a " + detail);
        }
        return v;
    }

    static String zero(Map<String, Object> m, String field) {
        long n = ((Number) m.get(field)).longValue();
        return (n == 0 ? "ok" : "FAIL") + " (" + n + ")";
    }

    static String sum(Map<String, Object> m, String a, String b) {
        long n = ((Number) m.get(a)).longValue() + ((Number) m.get(b)).longValue();
        return (n == 0 ? "ok" : "FAIL") + " (" + n + ")";
    }

    @SuppressWarnings("unchecked")
    void printTable(Map<String, Object> report) {
        Map<String, Object> load = (Map<String, Object>) report.get("load");
        Map<String, Object> audit = (Map<String, Object>) report.get("audit");
        Map<String, Object> files = (Map<String, Object>) report.get("drop_files");
        Map<String, Object> hooks = (Map<String, Object>) report.get("webhooks");
        Map<String, Object> res = (Map<String, Object>) report.get("resources");
        System.out.println();
        System.out.printf("== soak: %d min, %d req/s offered, load average %s -> %s%n", settings.minutes, settings.rate,
                report.get("loadavg_at_start"), report.get("loadavg_at_end"));
        System.out.println("sent:     " + load.get("sent_by_kind") + ", shed " + load.get("shed_by_generator"));
        System.out.println("answers:  " + load.get("answers_by_kind_and_status"));
        System.out.printf("audit:    %s lines %s; answered %s, lost %s, duplicated %s%n", audit.get("audit_lines"),
                audit.get("lines_by_type_and_source"), audit.get("answered_requests"), audit.get("lost"),
                audit.get("duplicated"));
        System.out.printf("files:    %s files, %s command lines, %s result lines%n", files.get("files"),
                files.get("command_lines"), files.get("result_lines"));
        System.out.printf("webhooks: %s events, %s ids, %s attempts (%s failed on purpose), max %s attempts for one id,"
                        + " drained in %s s%n",
                hooks.get("events_in_audit"), hooks.get("webhook_ids"), hooks.get("attempts"),
                hooks.get("failed_on_purpose"), hooks.get("max_attempts_of_one_id"), hooks.get("drain_s"));
        System.out.println("stub:     " + report.get("stub"));
        System.out.println();
        System.out.printf("%8s %14s %8s %6s %8s %8s%n", "t s", "heap-GC MiB", "threads", "fds", "RSS MiB", "CPU s");
        for (Map<String, Object> s : (List<Map<String, Object>>) res.get("samples")) {
            System.out.printf("%8s %14s %8s %6s %8s %8s%n", s.get("t_s"), s.get("heap_after_gc_mib"), s.get("threads"),
                    s.get("fds"), s.get("rss_mib"), s.get("cpu_s"));
        }
        System.out.println();
        System.out.println("flat: " + res.get("criterion"));
        System.out.println();
        Map<String, Object> verdicts = (Map<String, Object>) report.get("guarantees");
        verdicts.forEach((k, v) -> System.out.printf("  %-42s %s%n", k, v));
    }

    // ------------------------------------------------------------------------------------------
    // Settings

    static final class Settings {
        int minutes = 10;
        int rate = 30;
        int fileEverySeconds = 30;
        int fileLines = 200;
        int sampleSeconds = 15;
        int stubDelayMillis = 20;
        int throttlePercent = 10;
        int serverErrorPercent = 5;
        int webhookFailPercent = 20;
        int webhookBudgetSeconds = 180;
        int answerTimeoutSeconds = 180;
        int workers = 64;
        String java = "java";
        String jvmOpts = "-Xmx512m";
        String out;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + arg);
                }
                String value = args[++i];
                switch (arg) {
                    case "--minutes" -> s.minutes = Integer.parseInt(value);
                    case "--rate" -> s.rate = Integer.parseInt(value);
                    case "--file-every" -> s.fileEverySeconds = Integer.parseInt(value);
                    case "--file-lines" -> s.fileLines = Integer.parseInt(value);
                    case "--sample-every" -> s.sampleSeconds = Integer.parseInt(value);
                    case "--delay-ms" -> s.stubDelayMillis = Integer.parseInt(value);
                    case "--cxone-429-percent" -> s.throttlePercent = Integer.parseInt(value);
                    case "--cxone-5xx-percent" -> s.serverErrorPercent = Integer.parseInt(value);
                    case "--webhook-fail-percent" -> s.webhookFailPercent = Integer.parseInt(value);
                    case "--webhook-budget" -> s.webhookBudgetSeconds = Integer.parseInt(value);
                    case "--java" -> s.java = value;
                    case "--jvm-opts" -> s.jvmOpts = value;
                    case "--out" -> s.out = value;
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (s.minutes < 1 || s.rate < 1 || s.fileLines < 4) {
                throw new IllegalArgumentException("--minutes and --rate at least 1, --file-lines at least 4");
            }
            return s;
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("minutes", minutes);
            m.put("rate_per_s", rate);
            m.put("file_every_s", fileEverySeconds);
            m.put("file_lines", fileLines);
            m.put("sample_every_s", sampleSeconds);
            m.put("stub_delay_ms", stubDelayMillis);
            m.put("cxone_429_percent", throttlePercent);
            m.put("cxone_5xx_percent", serverErrorPercent);
            m.put("webhook_fail_percent", webhookFailPercent);
            m.put("webhook_retry_budget_s", webhookBudgetSeconds);
            m.put("service_java", java);
            m.put("service_jvm_opts", jvmOpts);
            return m;
        }
    }
}
