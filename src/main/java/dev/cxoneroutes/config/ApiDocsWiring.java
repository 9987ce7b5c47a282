package dev.cxoneroutes.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.ApiDocs;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** Binds {@code apiDocs} for routes/api-docs.camel.yaml: the OpenAPI document and Swagger UI. */
@Configuration
public class ApiDocsWiring implements CamelConfiguration {

    @BindToRegistry("apiDocs")
    public ApiDocs apiDocs() {
        return ApiDocs.load(new ObjectMapper(), ServiceVersion.read());
    }
}
