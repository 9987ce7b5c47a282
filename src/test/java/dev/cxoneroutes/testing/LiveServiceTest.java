package dev.cxoneroutes.testing;

import org.junit.jupiter.api.BeforeEach;

/**
 * A test class served by one {@link LiveService}: {@link #cxone} and {@link #service} point at it
 * before each test. The subclass registers the extension as a static field and returns it from
 * {@link #live()}, so each class can start its service with its own settings.
 */
public abstract class LiveServiceTest {

    protected CxoneStub cxone;
    protected RunningService service;

    protected abstract LiveService live();

    @BeforeEach
    void useLiveService() {
        cxone = live().cxone();
        service = live().service();
    }
}
