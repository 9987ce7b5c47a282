package dev.cxoneroutes.sandbox;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated CXone for trying the service without a tenant: WireMock on loopback serving the
 * stub mappings in {@code sandbox/} (the working directory's, else the copy inside the jar).
 *
 * <p>Its port is chosen when it is made, not when it starts, so that the service can be wired to
 * its URL while WireMock starts in the background (it is a third of a sandbox start's time).
 */
public class SandboxCxone extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxCxone.class);
    private static final String FOLDER = "sandbox";

    private final int port = freeLoopbackPort();
    private volatile WireMockServer server;

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * A port nothing listens on now. Another process could take it before WireMock binds it; then
     * the sandbox fails to start, says so, and readiness stays DOWN naming {@code sandbox}.
     */
    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doStart() {
        WireMockConfiguration config =
                options().bindAddress("127.0.0.1").port(port).containerThreads(40);
        if (Files.isDirectory(Path.of(FOLDER, "mappings"))) {
            config.usingFilesUnderDirectory(FOLDER);
        } else {
            config.usingFilesUnderClasspath(FOLDER);
        }
        config.globalTemplating(true);
        WireMockServer wireMock = new WireMockServer(config);
        server = wireMock;
        wireMock.start();
        LOG.warn(
                """

                ************************************************************************
                *  SANDBOX MODE: CXONE_BASE_URL is not set.                            *
                *  CXone calls go to a simulated CXone at {} (stubs in sandbox/).
                *  Nothing reaches a real tenant. Set CXONE_BASE_URL to go live.       *
                ************************************************************************""",
                baseUrl());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop();
        }
    }
}
