import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in CXone for the benchmarks: a token endpoint, a guest-session endpoint and bridge
 * endpoints that answer after a settable delay, and optionally a CTI webhook receiver on a second
 * port. Lighter than WireMock, so the machine's two cores go to the service being measured.
 *
 * <p>A delayed answer holds no thread: the handler returns at once and a scheduler completes the
 * exchange when the delay is over (HttpServer lets another thread finish an exchange), so a 20 ms
 * delay at any concurrency costs the stub nothing but a timer.
 *
 * <p>Run: {@code java bench/CxoneStubServer.java <port> <delay-millis> [<webhook-port> [<429-percent>
 * <5xx-percent>]]} (webhook port 0: no receiver). With fault percentages (the soak, bench/soak.sh),
 * that share of guest and bridge calls is answered 429 (half of them with {@code Retry-After: 1}) or
 * 500/502/503 instead; the token endpoint never fails.
 * GET /count prints the number of bridge requests served; GET /stats prints all counters as JSON;
 * GET /control?delay=N sets the answer delay to N ms from then on.
 *
 * <p>{@code -Dstub.warmup=SECONDS}: before it listens on its ports, the stub loads servers of its own
 * on free ports for that long, so that its JIT has settled when the first request comes: it is an
 * instrument, not the subject (a drop file's first seconds ran against a cold stub).
 */
public class CxoneStubServer {

    private static final byte[] TOKEN = bytes(
            "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    private static final byte[] GUEST = bytes("{\"id\":\"guest-bench\",\"url\":\"https://bench.invalid/chat/x\","
            + "\"state\":\"new\",\"channel\":\"webMessaging\"}");
    private static final byte[] BRIDGE = bytes("{\"bridgeId\":\"bench\",\"state\":\"bridged\"}");
    private static final byte[] EMPTY = new byte[0];

    private final AtomicLong delayMillis = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong guests = new AtomicLong();
    private final AtomicLong bridges = new AtomicLong();
    private final AtomicLong webhooks = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private volatile int throttlePercent;
    private volatile int serverErrorPercent;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "stub-delay");
        thread.setDaemon(true);
        return thread;
    });

    public static void main(String[] args) throws IOException {
        CxoneStubServer stub = new CxoneStubServer();
        if (args.length > 4) {
            stub.throttlePercent = Integer.parseInt(args[3]);
            stub.serverErrorPercent = Integer.parseInt(args[4]);
        }
        stub.start(Integer.parseInt(args[0]), Long.parseLong(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 0);
    }

    private void start(int port, long initialDelayMillis, int webhookPort) throws IOException {
        warmUp(Long.getLong("stub.warmup", 0));
        delayMillis.set(initialDelayMillis);
        HttpServer server = cxone(port);
        server.start();
        System.out.println("CXone stub on http://127.0.0.1:" + port + " answering in " + initialDelayMillis + " ms");
        if (webhookPort > 0) {
            receiver(webhookPort).start();
            System.out.println("CTI webhook receiver on http://127.0.0.1:" + webhookPort + "/webhook");
        }
    }

    /** Bridge calls and webhook POSTs, 16 connections each, against throwaway servers; counters reset. */
    private void warmUp(long seconds) throws IOException {
        if (seconds <= 0) {
            return;
        }
        HttpServer cxone = cxone(0);
        HttpServer receiver = receiver(0);
        cxone.start();
        receiver.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        java.util.List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            InetSocketAddress target = (i % 2 == 0 ? cxone : receiver).getAddress();
            String url = "http://127.0.0.1:" + target.getPort() + "/api/v2/cti/calls/warm-up/bridge";
            Thread client = new Thread(() -> {
                while (System.nanoTime() < end) {
                    post(url);
                }
            });
            client.start();
            clients.add(client);
        }
        for (Thread client : clients) {
            try {
                client.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (HttpServer server : new HttpServer[] {cxone, receiver}) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdown(); // stop() leaves its threads
        }
        System.out.println("warmed up for " + seconds + " s: " + (bridges.get() + webhooks.get()) + " requests");
        for (AtomicLong counter : new AtomicLong[] {tokens, guests, bridges, webhooks, throttled, serverErrors}) {
            counter.set(0);
        }
    }

    private static void post(String url) {
        try {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(BRIDGE);
            }
            try (java.io.InputStream in = connection.getInputStream()) {
                in.readAllBytes(); // read whole, so the connection is kept alive for the next POST
            }
        } catch (IOException e) {
            // a warm-up request lost is of no consequence
        }
    }

    private HttpServer cxone(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        // Handlers never block (delays are timers), so two threads keep up with two cores.
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/oauth/token", exchange -> {
            tokens.incrementAndGet();
            answer(exchange, 200, TOKEN);
        });
        server.createContext("/api/v2/interactions/guests", exchange -> delayed(exchange, 201, GUEST, guests));
        server.createContext("/api/v2/cti/calls/", exchange -> delayed(exchange, 200, BRIDGE, bridges));
        server.createContext("/count", exchange -> answer(exchange, 200, bytes(String.valueOf(bridges.get()))));
        server.createContext("/stats", exchange -> answer(exchange, 200, bytes(stats())));
        server.createContext("/control", exchange -> {
            String query = URI.create(exchange.getRequestURI().toString()).getQuery();
            if (query != null && query.startsWith("delay=")) {
                delayMillis.set(Long.parseLong(query.substring("delay=".length())));
            }
            answer(exchange, 200, bytes(stats()));
        });
        return server;
    }

    private HttpServer receiver(int port) throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhooks.incrementAndGet();
            answer(exchange, 200, EMPTY);
        });
        return receiver;
    }

    private void delayed(HttpExchange exchange, int status, byte[] body, AtomicLong counter) throws IOException {
        exchange.getRequestBody().readAllBytes();
        if (injectFault(exchange)) {
            return;
        }
        long delay = delayMillis.get();
        if (delay <= 0) {
            counter.incrementAndGet();
            answer(exchange, status, body);
            return;
        }
        timer.schedule(
                () -> {
                    try {
                        counter.incrementAndGet();
                        answer(exchange, status, body);
                    } catch (IOException | RuntimeException e) {
                        exchange.close();
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    /** Answers a share of calls with a 429 or a 5xx instead (the soak's bad CXone day). */
    private boolean injectFault(HttpExchange exchange) throws IOException {
        int roll = ThreadLocalRandom.current().nextInt(100);
        if (roll < throttlePercent) {
            throttled.incrementAndGet();
            if (ThreadLocalRandom.current().nextBoolean()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            answer(exchange, 429, bytes("{\"error\":\"rate limited\"}"));
            return true;
        }
        if (roll < throttlePercent + serverErrorPercent) {
            serverErrors.incrementAndGet();
            int[] statuses = {500, 502, 503};
            answer(exchange, statuses[ThreadLocalRandom.current().nextInt(statuses.length)], bytes("{\"error\":\"bad day\"}"));
            return true;
        }
        return false;
    }

    private String stats() {
        return "{\"delay_ms\":" + delayMillis.get() + ",\"tokens\":" + tokens.get() + ",\"guests\":" + guests.get()
                + ",\"bridges\":" + bridges.get() + ",\"webhooks\":" + webhooks.get() + ",\"throttled\":" + throttled.get()
                + ",\"server_errors\":" + serverErrors.get() + "}";
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
