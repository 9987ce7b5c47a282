package dev.cxoneroutes.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.Application;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.scan.DefaultPackageScanClassResolver;
import org.junit.jupiter.api.Test;

/**
 * The service names its configuration and route classes instead of scanning its package at start
 * (a scan reads the whole shaded jar: see {@link Application#newMain}). Here the scan runs over the
 * compiled classes, so a new route or configuration class left out of {@link Application} fails
 * the build instead of silently never being loaded.
 */
class ApplicationClassesTest {

    private final DefaultPackageScanClassResolver scan = new DefaultPackageScanClassResolver();

    @Test
    void every_configuration_class_the_package_holds_is_named() {
        Set<Class<?>> found = mainClasses(scan.findImplementations(CamelConfiguration.class, "dev.cxoneroutes"));
        found.addAll(mainClasses(scan.findAnnotated(Configuration.class, "dev.cxoneroutes")));

        assertThat(found).isNotEmpty().containsExactlyInAnyOrderElementsOf(Application.CONFIGURATIONS);
    }

    @Test
    void every_java_route_and_route_configuration_is_named() {
        Set<Class<?>> found = mainClasses(scan.findImplementations(RoutesBuilder.class, "dev.cxoneroutes"));

        assertThat(found).isNotEmpty().containsExactlyInAnyOrderElementsOf(Application.ROUTES);
    }

    /** Concrete classes of the service itself (src/main), not of the tests. */
    private static Set<Class<?>> mainClasses(Set<Class<?>> classes) {
        URL main = Application.class.getProtectionDomain().getCodeSource().getLocation();
        return classes.stream()
                .filter(c -> !Modifier.isAbstract(c.getModifiers()) && !c.isInterface())
                .filter(c -> main.equals(c.getProtectionDomain().getCodeSource().getLocation()))
                .collect(Collectors.toSet());
    }
}
