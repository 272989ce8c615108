package io.baton.server.local;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/** The port the API listens on, once Jetty has started (it may have been 0: any free port). */
public final class Ports {
    private Ports() {}

    public static int application(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network && !"admin".equals(connector.getName())) {
                return network.getLocalPort();
            }
        }
        throw new IllegalStateException("the server has no application connector");
    }
}
