package dev.cxoneroutes.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The API described (CONTRACT §10): the OpenAPI document at {@code GET /api/v1/openapi.json} and
 * Swagger UI at {@code GET /api/v1/docs}, both served from the jar. No API key: a description of
 * the API reveals nothing a caller could misuse, and tools fetch it without credentials.
 */
public class ApiDocs {

    static final String DOCUMENT = "/api-docs/openapi.json";
    static final String PAGE = "/api-docs/index.html";

    /** The only webjar files the page needs; nothing else on the classpath can be named. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    private final byte[] document;
    private final byte[] page;
    private final String webjarRoot;

    ApiDocs(byte[] document, byte[] page, String webjarRoot) {
        this.document = document;
        this.page = page;
        this.webjarRoot = webjarRoot;
    }

    /** Reads the document and page from the jar once; the document's {@code info.version} becomes the service's. */
    public static ApiDocs load(ObjectMapper json, String serviceVersion) {
        try {
            ObjectNode openApi = (ObjectNode) json.readTree(resource(DOCUMENT));
            ((ObjectNode) openApi.path("info")).put("version", serviceVersion);
            Properties swaggerUi = new Properties();
            try (InputStream in = new java.io.ByteArrayInputStream(resource("/api-docs/swagger-ui.properties"))) {
                swaggerUi.load(in);
            }
            return new ApiDocs(
                    json.writeValueAsBytes(openApi),
                    resource(PAGE),
                    "/META-INF/resources/webjars/swagger-ui/" + swaggerUi.getProperty("version") + "/");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the API description from the jar", e);
        }
    }

    public void document(Exchange exchange) {
        answer(exchange, 200, "application/json", document);
    }

    /** The page; {@code /api/v1/docs/} is sent to {@code /api/v1/docs}, where the page's relative links resolve. */
    public void page(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        if (uri.split("\\?", 2)[0].endsWith("/")) {
            answer(exchange, 302, "text/plain; charset=utf-8", new byte[0]);
            exchange.getMessage().setHeader("Location", "../docs");
            return;
        }
        answer(exchange, 200, "text/html; charset=utf-8", page);
    }

    /** One of Swagger UI's files, named by the {@code {file}} of {@code /api/v1/docs/{file}}. */
    public void asset(Exchange exchange) {
        String name = exchange.getMessage().getHeader("file", String.class);
        String contentType = name == null ? null : ASSETS.get(name);
        byte[] content = contentType == null ? null : optionalResource(webjarRoot + name);
        if (content == null) {
            answer(
                    exchange,
                    404,
                    "text/plain; charset=utf-8",
                    "Not found".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        answer(exchange, 200, contentType, content);
        exchange.getMessage().setHeader("Cache-Control", "public, max-age=86400");
    }

    /** Only our headers go out: platform-http would echo the request's (the API key among them). */
    private static void answer(Exchange exchange, int status, String contentType, byte[] body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setBody(body);
    }

    private static byte[] resource(String path) throws IOException {
        byte[] content = optionalResource(path);
        if (content == null) {
            throw new IOException(path + " is missing from the classpath");
        }
        return content;
    }

    private static byte[] optionalResource(String path) {
        try (InputStream in = ApiDocs.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
