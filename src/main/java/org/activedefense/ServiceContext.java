package org.activedefense;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What each flow's configuration class (listed in {@code camel.main.configuration-classes}) uses to
 * read typed properties, share beans with the other flows through Camel's registry, and tie plain
 * objects to the context's start and stop.
 *
 * <p>Properties are read through Camel's properties component, so {@code application.properties},
 * profiles, environment variables and {@code -D} options all apply; a bad value fails with its name.
 */
public final class ServiceContext {

    private final CamelContext camel;
    private final PropertiesComponent properties;

    private ServiceContext(CamelContext camel) {
        this.camel = camel;
        this.properties = camel.getPropertiesComponent();
    }

    public static ServiceContext of(CamelContext camel) {
        return new ServiceContext(camel);
    }

    public CamelContext camel() {
        return camel;
    }

    /** The property's trimmed value, or "" when it is not set. */
    public String text(String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    public int integer(String key) {
        String value = text(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    public boolean bool(String key) {
        String value = text(key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** A comma-separated property as its non-empty, trimmed items. */
    public List<String> list(String key) {
        return Arrays.stream(text(key).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /** Every property whose key starts with {@code prefix}, keyed by the rest of the key. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        properties.loadProperties(k -> k.startsWith(prefix))
                .forEach((k, v) -> found.put(k.toString().substring(prefix.length()), v.toString().trim()));
        return found;
    }

    /** Binds a bean for the routes and the flows configured after this one. */
    public <T> T bind(String name, T bean) {
        camel.getRegistry().bind(name, bean);
        return bean;
    }

    /**
     * A bean another flow's configuration bound; fails with the order to fix when that flow has not
     * been configured yet (the order is {@code camel.main.configuration-classes}).
     */
    public <T> T require(String name, Class<T> type) {
        T bean = camel.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("bean '" + name + "' (" + type.getSimpleName() + ") is not bound yet: "
                    + "the configuration class that binds it must come earlier in camel.main.configuration-classes");
        }
        return bean;
    }

    /** The registry {@code /observe/metrics} exports: camel-main's when metrics are on, else one made here. */
    public MeterRegistry meters() {
        MeterRegistry existing = camel.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    /**
     * Runs a plain object's start and stop with the context's, without making it a Camel type.
     * Services stop in the reverse order of this call: what is added first stops last.
     */
    public void onStartAndStop(String name, Runnable start, Runnable stop) throws Exception {
        camel.addService(new Lifecycle(name, start, stop), true, true);
    }

    private static final class Lifecycle extends ServiceSupport {
        private final String name;
        private final Runnable start;
        private final Runnable stop;

        Lifecycle(String name, Runnable start, Runnable stop) {
            this.name = name;
            this.start = start;
            this.stop = stop;
        }

        @Override
        protected void doStart() {
            start.run();
        }

        @Override
        protected void doStop() {
            stop.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
