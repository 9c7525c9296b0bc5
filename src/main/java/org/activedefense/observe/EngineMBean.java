package org.activedefense.observe;

/** What JMX (and so Jolokia and Hawtio) offers an operator for the engine: {@code org.activedefense:type=engine}. */
public interface EngineMBean {

    /** True while the scheduled detection and housekeeping routes run. */
    boolean isRunning();

    /** Runs detection now, as {@code POST /api/detection/run} does, and answers the run's summary as JSON. */
    String runDetection() throws Exception;

    /** Switches the scheduled detection and housekeeping on (as {@code PUT /api/engine {"running": true}}). */
    void switchOn() throws Exception;

    /** Switches them off; ingest and the EDL keep running. */
    void switchOff() throws Exception;
}
