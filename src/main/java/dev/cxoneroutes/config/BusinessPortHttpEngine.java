package dev.cxoneroutes.config;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * Binds platform-http routes to the business server. Camel 4.17's engine looks the server up by
 * type, finds two once the management server runs on its own port, and falls back to port 8080:
 * with any other HTTP_PORT the routes would not start. This engine knows the port from settings.
 */
public class BusinessPortHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public BusinessPortHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
