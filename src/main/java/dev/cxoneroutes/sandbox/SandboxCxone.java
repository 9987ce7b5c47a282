package dev.cxoneroutes.sandbox;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated CXone for trying the service without a tenant: WireMock on loopback serving the
 * stub mappings in {@code sandbox/} (the working directory's, else the copy inside the jar).
 */
public class SandboxCxone extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxCxone.class);
    private static final String FOLDER = "sandbox";

    private WireMockServer server;

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    protected void doStart() {
        WireMockConfiguration config =
                options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40);
        if (Files.isDirectory(Path.of(FOLDER, "mappings"))) {
            config.usingFilesUnderDirectory(FOLDER);
        } else {
            config.usingFilesUnderClasspath(FOLDER);
        }
        config.globalTemplating(true);
        server = new WireMockServer(config);
        server.start();
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
