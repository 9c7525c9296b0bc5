package org.activedefense.observe;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.activedefense.admin.EngineControl;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.LoggerFactory;

/**
 * Wires monitoring: the management port's login, our health checks, the detection and mail
 * metrics, and the JMX operations operators may call (run detection, engine on/off).
 */
public final class ObserveConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ServiceContext p = ServiceContext.of(context);
        ManagementLogin.Login login = ManagementLogin.ensure(Path.of(p.text("management.users-file")),
                p.text("management.username"), p.text("management.password"));
        if (login.generated()) {
            LoggerFactory.getLogger(ManagementLogin.class).warn(
                    "Generated the management port login '{}' with the password: {}  (kept in {}; set "
                            + "management.password to choose one)", login.username(), login.password(),
                    p.text("management.users-file"));
        }
        ServiceHealthChecks.register(context, p.require("dataSource", DataSource.class),
                p.integer("health.detection-max-age-minutes"));
        p.bind("healthReport", new HealthReport(context));
        p.bind("detectionMetrics", new DetectionMetrics(p.meters()));
        p.bind("mailMetrics", new MailMetrics(p.meters()));
        Engine engine = new Engine(context, p.require("engineControl", EngineControl.class));
        p.onStartAndStop("engine MBean", engine::register, engine::unregister);
    }
}
