package org.activedefense;

import org.apache.camel.main.Main;

/** Starts ActiveDefense: camel-main with routes from {@code routes/} and {@code application.properties}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        System.exit(main.run(args));
    }
}
