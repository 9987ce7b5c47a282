package dev.cxoneroutes.cxone;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;

/**
 * camel-http's component with one change: its connection pool takes connections without a global
 * lock. camel-http builds HttpClient's STRICT pool, where every lease and release of a connection,
 * from any thread, goes through one lock: a drop file's 64 line threads queued there (bench/: 28 s
 * of blocked threads in a 20,000-line file). The LAX pool keeps the per-route limit (all calls go
 * to one CXone host) with a lock per route and fewer hand-offs; what it relaxes is the limit over
 * all routes, which one host does not need.
 */
public class CxoneHttpComponent extends HttpComponent {

    @Override
    protected HttpClientConnectionManager createConnectionManager(
            Registry<ConnectionSocketFactory> registry,
            int maxTotalConnections,
            int connectionsPerRoute,
            SocketConfig defaultSocketConfig) {
        // As HttpComponent builds it, but for the concurrency policy.
        PoolingHttpClientConnectionManager answer = new PoolingHttpClientConnectionManager(
                registry, PoolConcurrencyPolicy.LAX, TimeValue.ofMilliseconds(getConnectionTimeToLive()), null);
        int maxTotal = maxTotalConnections != 0 ? maxTotalConnections : getMaxTotalConnections();
        if (maxTotal > 0) {
            answer.setMaxTotal(maxTotal);
        }
        answer.setDefaultSocketConfig(defaultSocketConfig);
        int perRoute = connectionsPerRoute != 0 ? connectionsPerRoute : getConnectionsPerRoute();
        if (perRoute > 0) {
            answer.setDefaultMaxPerRoute(perRoute);
        }
        return answer;
    }
}
