package io.baton.worker.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertisedHostTest {
    @Test
    void aServerOnThisMachineIsReachedOnTheLoopback() {
        assertThat(AdvertisedHost.reaching("http://127.0.0.1:8080")).isEqualTo("127.0.0.1");
        assertThat(AdvertisedHost.reaching("http://localhost:8080/")).isEqualTo("127.0.0.1");
    }

    @Test
    void aRemoteServerIsReachedAtAnAddressOfThisMachine() throws Exception {
        List<String> mine = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .map(InetAddress::getHostAddress)
                .toList();
        // a documentation address: nothing is sent (a UDP "connect" only picks the route), and no answer is needed
        String host = AdvertisedHost.reaching("https://192.0.2.10:8443");

        assertThat(host).isNotEqualTo("0.0.0.0").isNotBlank();
        if (!host.equals(InetAddress.getLocalHost().getHostAddress())) { // no route here: the fallback
            assertThat(mine).contains(host);
        }
    }
}
