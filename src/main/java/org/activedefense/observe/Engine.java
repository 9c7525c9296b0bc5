package org.activedefense.observe;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.activedefense.admin.EngineControl;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * The engine as a JMX MBean, so an operator can run detection and switch the engine from Hawtio
 * or Jolokia; the shipped jolokia-access.xml allows exactly these operations besides route control.
 */
public final class Engine implements EngineMBean {

    public static final String OBJECT_NAME = "org.activedefense:type=engine";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final CamelContext context;
    private final EngineControl control;
    private ProducerTemplate producer;

    public Engine(CamelContext context, EngineControl control) {
        this.context = context;
        this.control = control;
    }

    @Override
    public boolean isRunning() {
        return Boolean.TRUE.equals(control.state().get("running"));
    }

    @Override
    public String runDetection() throws Exception {
        org.apache.camel.Exchange done = producer().send("direct:run-detection", e -> e.setVariable("trigger", "jmx"));
        if (done.getException() != null) {
            throw new IllegalStateException("detection run failed: " + done.getException().getMessage());
        }
        return JSON.writeValueAsString(done.getMessage().getBody());
    }

    @Override
    public void switchOn() throws Exception {
        control.change("{\"running\": true}");
    }

    @Override
    public void switchOff() throws Exception {
        control.change("{\"running\": false}");
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    /** Registers with the platform MBean server, where Camel's own MBeans are. */
    public void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                // a previous service in the same JVM (tests) left it behind
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("cannot register " + OBJECT_NAME, e);
        }
    }

    public void unregister() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (javax.management.JMException e) {
            // stopping anyway
        }
    }
}
