package io.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.workflows.PayloadKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** Where the server finds its payload key: the setting, the file, or local mode's own file made on first start. */
class PayloadKeySettingsTest {
    @Test
    void localModeMakesAPrivateKeyFileOnceAndKeepsIt() throws Exception {
        Path data = Files.createTempDirectory("data");
        BatonConfiguration config = new BatonConfiguration();
        config.temporal.devServer.enabled = true;
        config.temporal.payloadKey = null; // what an empty ${BATON_PAYLOAD_KEY:-} reads as
        config.temporal.payloadKeyFile = null;

        String first = BatonApplication.payloadKey(config, data);

        Path file = data.resolve("payload.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PayloadKeys.parse(first)).isNotNull();
        assertThat(BatonApplication.payloadKey(config, data))
                .as("the next start")
                .isEqualTo(first);
    }

    @Test
    void productionWithoutAKeyRefusesToStartAndSaysWhatToSet() {
        BatonConfiguration config = new BatonConfiguration();
        config.temporal.payloadKey = null;
        config.temporal.payloadKeyFile = "";
        assertThatThrownBy(() -> BatonApplication.payloadKey(config, Path.of("unused")))
                .hasMessageContaining("BATON_PAYLOAD_KEY");
    }

    @Test
    void theSettingWinsOverTheFile() throws Exception {
        BatonConfiguration config = new BatonConfiguration();
        String key = PayloadKeys.generate("k9");
        config.temporal.payloadKey = key;
        config.temporal.payloadKeyFile = "/nonexistent";
        assertThat(BatonApplication.payloadKey(config, Path.of("unused"))).isEqualTo(key);
    }
}
