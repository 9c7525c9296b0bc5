package org.activedefense.tls;

import org.activedefense.ServiceContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The certificate, the TLS parameters and the HTTP(S) listeners' layout ({@link TlsSetup}). */
public final class TlsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        TlsSetup.configure(context, ServiceContext.of(context).meters());
    }
}
