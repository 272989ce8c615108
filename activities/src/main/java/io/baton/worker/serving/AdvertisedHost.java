package io.baton.worker.serving;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the servers reach this worker's replicas when {@code BATON_ADVERTISE_HOST} does not say. */
public final class AdvertisedHost {
    private static final Logger log = LoggerFactory.getLogger(AdvertisedHost.class);

    private AdvertisedHost() {}

    /**
     * The address this machine uses to reach the server at {@code serverUrl} (a UDP socket "connected" to it sends
     * nothing, and its local address is the route's); 127.0.0.1 for a server on the loopback. IPv6 in brackets, so
     * that {@code host:port} reads.
     */
    public static String reaching(String serverUrl) {
        try {
            URI uri = new URI(serverUrl);
            InetAddress server = InetAddress.getByName(uri.getHost());
            if (server.isLoopbackAddress()) {
                return "127.0.0.1";
            }
            int port = uri.getPort() > 0 ? uri.getPort() : 443;
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.connect(server, port);
                InetAddress local = socket.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    return literal(local);
                }
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            log.debug("cannot find the route to {}: {}", serverUrl, e.getMessage());
        }
        try {
            String fallback = literal(InetAddress.getLocalHost());
            log.warn(
                    "cannot tell which address reaches the server {}; replicas advertise {} (set BATON_ADVERTISE_HOST)",
                    serverUrl,
                    fallback);
            return fallback;
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    private static String literal(InetAddress address) {
        String host = address.getHostAddress().replaceFirst("%.*", "");
        return address instanceof Inet6Address ? "[" + host + "]" : host;
    }
}
