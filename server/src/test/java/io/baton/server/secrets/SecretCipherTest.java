package io.baton.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    private final SecretCipher cipher = SecretCipher.parse(SecretCipher.generate());

    @Test
    void opensWhatItSealedAndSealsTheSameValueDifferentlyEachTime() throws Exception {
        SecretCipher.Sealed one = cipher.seal("vision", "API_TOKEN", "s3cr3t ünïcode");
        SecretCipher.Sealed two = cipher.seal("vision", "API_TOKEN", "s3cr3t ünïcode");
        assertThat(cipher.open("vision", "API_TOKEN", one)).isEqualTo("s3cr3t ünïcode");
        assertThat(one.ciphertext()).isNotEqualTo(two.ciphertext()); // a fresh nonce per value
        assertThat(one.ciphertext()).doesNotContain("s3cr3t");
        assertThat(Base64.getDecoder().decode(one.ciphertext()))
                .hasSize(12 + "s3cr3t ünïcode".getBytes().length + 16); // nonce, ciphertext, tag
    }

    @Test
    void aSealedValueMovedToAnotherNameOrProjectDoesNotOpen() {
        SecretCipher.Sealed sealed = cipher.seal("vision", "API_TOKEN", "value");
        assertThatThrownBy(() -> cipher.open("vision", "OTHER", sealed)).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> cipher.open("nlp", "API_TOKEN", sealed)).isInstanceOf(AEADBadTagException.class);
        // the separator keeps ("vision", "API_TOKEN") and ("visionA", "PI_TOKEN") apart
        assertThatThrownBy(() -> cipher.open("visionA", "PI_TOKEN", sealed)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void aChangedByteOrAnotherKeyDoesNotOpen() {
        SecretCipher.Sealed sealed = cipher.seal("p", "N", "value");
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[14] ^= 1;
        SecretCipher.Sealed changed =
                new SecretCipher.Sealed(sealed.keyId(), Base64.getEncoder().encodeToString(bytes));
        assertThatThrownBy(() -> cipher.open("p", "N", changed)).isInstanceOf(AEADBadTagException.class);
        SecretCipher other = SecretCipher.parse(SecretCipher.generate());
        assertThatThrownBy(() -> other.open("p", "N", sealed))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void rotatesKeysTheFirstSealsAndAllOpen() throws Exception {
        String old = SecretCipher.generate();
        SecretCipher before = SecretCipher.parse("old:" + old);
        SecretCipher.Sealed sealed = before.seal("p", "N", "value");
        SecretCipher after = SecretCipher.parse("new:" + SecretCipher.generate() + ",old:" + old);
        assertThat(after.open("p", "N", sealed)).isEqualTo("value");
        assertThat(after.seal("p", "N", "value").keyId()).isEqualTo("new");
        assertThat(SecretCipher.parse(old).activeId()).startsWith("k").hasSize(13);
    }

    @Test
    void refusesKeysThatAreNotThirtyTwoBytesOfBase64() {
        assertThatThrownBy(() -> SecretCipher.parse("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SecretCipher.parse("not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> SecretCipher.parse(" ")).hasMessageContaining("no secrets key");
    }

    @Test
    void localModeMakesItsOwnKeyFileReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        SecretSettings settings = new SecretSettings();
        SecretCipher first = settings.cipher(dir, true).orElseThrow();
        Path file = dir.resolve("secrets.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        SecretCipher again = settings.cipher(dir, true).orElseThrow();
        assertThat(again.open("p", "N", first.seal("p", "N", "v"))).isEqualTo("v"); // the same key after a restart
        assertThat(settings.cipher(dir.resolve("elsewhere"), false)).isEmpty(); // production: only when configured
    }
}
