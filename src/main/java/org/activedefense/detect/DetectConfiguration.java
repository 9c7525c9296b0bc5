package org.activedefense.detect;

import javax.sql.DataSource;

import org.activedefense.ServiceContext;
import org.activedefense.cluster.ClusterNode;
import org.activedefense.policy.AddressPolicy;
import org.activedefense.settings.SettingsStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

/**
 * Wires the detection flow: the address policy, the engine the {@code run-detection} route calls,
 * and the schedule that keeps the Quartz trigger on the cron currently set.
 */
public final class DetectConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ServiceContext p = ServiceContext.of(context);
        SettingsStore settings = p.require("settingsStore", SettingsStore.class);
        // Checked at start, so a bad threshold in the file stops the service with its name.
        settings.detectionSettings();
        AddressPolicy policy = p.bind("addressPolicy",
                AddressPolicy.of(p.text("policy.own-networks"), p.text("policy.allowlist")));
        p.bind("detectionEngine", new DetectionEngine(p.require("dataSource", DataSource.class),
                settings::detectionSettings, policy, p.require("clusterNode", ClusterNode.class).name(),
                p.integer("detect.work-mem-mb"), p.meters()));

        DetectionSchedule schedule = p.bind("detectionSchedule", new DetectionSchedule(context, settings));
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                schedule.apply();
            }
        });
    }
}
