package io.baton.worker.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.OsInfo;
import org.junit.jupiter.api.Test;

class HostInfoTest {
    @Test
    void distributionIsThePrettyNameOfOsRelease() {
        String debian = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        ID=debian
        """;
        assertThat(HostInfo.distribution(debian)).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    }

    @Test
    void distributionReadsUnquotedAndEscapedValuesAndFallsBackToTheName() {
        assertThat(HostInfo.distribution("NAME=Alpine\nPRETTY_NAME=Alpine Linux v3.20\n"))
                .isEqualTo("Alpine Linux v3.20");
        assertThat(HostInfo.distribution("# a comment\nNAME='My \\\"OS\\\"'\nID=my\n"))
                .isEqualTo("My \"OS\"");
        assertThat(HostInfo.distribution("")).isNull();
    }

    @Test
    void cpuModelIsTheFirstModelNameOfCpuinfo() {
        String cpuinfo = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        model\t\t: 143
        model name\t: Intel(R) Xeon(R)   Platinum 8480+
        flags\t\t: fpu vme de

        processor\t: 1
        model name\t: Intel(R) Xeon(R) Platinum 8480+
        """;
        assertThat(HostInfo.cpuModel(cpuinfo)).isEqualTo("Intel(R) Xeon(R) Platinum 8480+");
    }

    @Test
    void cpuModelIsNullWhereCpuinfoNamesNone() {
        String arm = """
        processor\t: 0
        BogoMIPS\t: 50.00
        CPU implementer\t: 0x41
        CPU part\t: 0xd0c
        """;
        assertThat(HostInfo.cpuModel(arm)).isNull();
    }

    @Test
    void osInfoNamesThisMachinesKernelAndArchitecture() {
        OsInfo os = HostInfo.osInfo();

        assertThat(os.name()).isEqualTo(System.getProperty("os.name"));
        assertThat(os.version()).isNotBlank();
        assertThat(os.arch()).isNotBlank();
    }
}
