package org.activedefense.detect;

import java.util.Set;

import org.activedefense.settings.SettingsStore;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the detection route's Quartz trigger on the cron currently set: the route is created
 * from {@code detect.cron} in the properties, and a value set in the console replaces the
 * trigger's schedule in place (at start, when it changes, and when the engine is switched on).
 */
public final class DetectionSchedule implements SettingsStore.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionSchedule.class);
    /** quartz:detection/detect-attackers in routes/detect-attackers.camel.yaml */
    private static final TriggerKey TRIGGER = TriggerKey.triggerKey("detect-attackers", "detection");

    private final CamelContext context;
    private final SettingsStore settings;

    public DetectionSchedule(CamelContext context, SettingsStore settings) {
        this.context = context;
        this.settings = settings;
        settings.addListener(this);
    }

    @Override
    public void changed(Set<String> keys) {
        if (keys.contains("detect.cron")) {
            apply();
        }
    }

    /** Puts the trigger on the current cron, if the trigger exists (the engine is on). */
    public synchronized void apply() {
        String cron = settings.value("detect.cron");
        try {
            Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
            if (scheduler == null) {
                return;
            }
            Trigger existing = scheduler.getTrigger(TRIGGER);
            if (existing == null) {
                LOG.info("Detection schedule '{}' applies when the engine is switched on", cron);
                return;
            }
            if (existing instanceof CronTrigger ct && cron.equals(ct.getCronExpression())) {
                return;
            }
            Trigger replacement = TriggerBuilder.newTrigger().withIdentity(TRIGGER).forJob(existing.getJobKey())
                    .usingJobData(existing.getJobDataMap())
                    .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionFireAndProceed())
                    .build();
            scheduler.rescheduleJob(TRIGGER, replacement);
            LOG.info("Detection now runs on the schedule '{}'; next run {}", cron, replacement.getNextFireTime());
        } catch (SchedulerException e) {
            LOG.error("The detection schedule cannot be changed to '{}': {}", cron, e.getMessage(), e);
        }
    }
}
