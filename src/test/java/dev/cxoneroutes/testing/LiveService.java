package dev.cxoneroutes.testing;

import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One service in live mode against a stub CXone for a whole test class (a start costs seconds),
 * with the stub back to its defaults before each test. Register it as a static field:
 * {@code @RegisterExtension static final LiveService live = new LiveService();}
 */
public final class LiveService implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final Consumer<Map<String, String>> customize;
    private CxoneStub cxone;
    private RunningService service;

    public LiveService() {
        this(settings -> {});
    }

    /** @param customize changes {@link CxoneStub#liveSettings()} before the service starts */
    public LiveService(Consumer<Map<String, String>> customize) {
        this.customize = customize;
    }

    public CxoneStub cxone() {
        return cxone;
    }

    public RunningService service() {
        return service;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cxone = new CxoneStub();
        Map<String, String> settings = cxone.liveSettings();
        customize.accept(settings);
        service = RunningService.start(settings);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        cxone.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (service != null) {
            service.close();
        }
        cxone.close();
    }
}
