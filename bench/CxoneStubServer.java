import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in CXone for the benchmark: a token endpoint, and bridge endpoints that answer 200 after a
 * fixed delay. Lighter than WireMock, so the machine's two cores go to the service being measured.
 *
 * <p>Run: {@code java bench/CxoneStubServer.java <port> <delay-millis>}. GET /count prints the
 * number of bridge requests served.
 */
public class CxoneStubServer {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long delayMillis = Long.parseLong(args[1]);
        AtomicLong bridges = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        // Blocking handlers: one thread per request being delayed, more than any concurrency measured.
        server.setExecutor(Executors.newFixedThreadPool(256));
        server.createContext("/oauth/token", exchange -> answer(exchange,
                "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        server.createContext("/api/v2/cti/calls/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bridges.incrementAndGet();
            answer(exchange, "{\"bridgeId\":\"bench\",\"state\":\"bridged\"}");
        });
        server.createContext("/count", exchange -> answer(exchange, String.valueOf(bridges.get())));
        server.start();
        System.out.println("CXone stub on http://127.0.0.1:" + port + " answering bridges in " + delayMillis + " ms");
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
