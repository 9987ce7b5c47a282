import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's baseline: the least a handoff service must do. It receives the POST, adds the
 * bearer token (fetched once at start, as a token cache would), forwards the body to CXone's guest
 * endpoint and answers with CXone's body. No validation, no idempotency, no audit, no webhooks, no
 * metrics, no log line: whatever cxone-routes costs beyond this is the price of its features.
 *
 * <p>Run: {@code java bench/PassThrough.java <port> <cxone-base-url>}; it serves
 * POST /api/v1/ivr/handoff and GET /ready.
 */
public class PassThrough {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String base = args[1];
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String token = fetchToken(client, base);
        URI guests = URI.create(base + "/api/v2/interactions/guests");

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        // Handlers only start the forward; the client's threads finish the exchange.
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/ready", exchange -> answer(exchange, 200, "ok".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/api/v1/ivr/handoff", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest forward = HttpRequest.newBuilder(guests)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            client.sendAsync(forward, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                try {
                    if (failure != null) {
                        answer(exchange, 502, "{\"status\":\"error\"}".getBytes(StandardCharsets.UTF_8));
                    } else {
                        answer(exchange, response.statusCode() / 100 == 2 ? 200 : 502, response.body());
                    }
                } catch (IOException e) {
                    exchange.close();
                }
            });
        });
        server.start();
        System.out.println("pass-through on http://127.0.0.1:" + port + " forwarding to " + base);
    }

    private static String fetchToken(HttpClient client, String base) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=bench"))
                .build();
        String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!token.find()) {
            throw new IllegalStateException("no access_token in " + body);
        }
        return token.group(1);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
