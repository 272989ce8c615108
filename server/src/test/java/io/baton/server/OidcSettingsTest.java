package io.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.baton.server.oidc.OidcSettings;
import io.baton.server.testing.DocBlocks;
import io.baton.server.testing.DocBlocks.Block;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

/**
 * config/production.yml's {@code oidc:} block (off without BATON_OIDC_ISSUER, filled from the variables with it), and
 * the settings docs/security.md shows.
 */
class OidcSettingsTest {
    @Test
    void productionReadsOidcFromItsVariables() throws Exception {
        assertThat(production(Map.of()).oidc.enabled()).isFalse();

        BatonConfiguration on = production(Map.of(
                "BATON_OIDC_ISSUER", "https://sso.example.com/realms/ml",
                "BATON_OIDC_CLIENT_SECRET", "s3cret",
                "BATON_OIDC_REDIRECT_URI", "https://baton.example.com/api/v1/login/oidc/callback"));
        assertThat(on.oidc.enabled()).isTrue();
        assertThat(on.oidc.clientId).isEqualTo("baton");
        assertThat(on.oidc.clientSecret).isEqualTo("s3cret");
        assertThat(on.oidc.groupsClaim).isEqualTo("groups");
        assertThat(on.oidc.scopes).containsExactly("openid", "profile", "email");
    }

    @Test
    void theSettingsShownInSecurityMdAreTheServersOwn() throws Exception {
        Block shown = DocBlocks.of(Path.of("..").toAbsolutePath().normalize()).stream()
                .filter(b -> b.file().equals("docs/security.md") && b.text().startsWith("oidc:"))
                .findFirst()
                .orElseThrow();
        ObjectMapper yaml =
                Jackson.newObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        OidcSettings settings = yaml.treeToValue(yaml.readTree(shown.text()).get("oidc"), OidcSettings.class);
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.scopes).contains("openid");
    }

    private static BatonConfiguration production(Map<String, String> env) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(env::get);
        return new YamlConfigurationFactory<>(
                        BatonConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(
                        new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
                        "../config/production.yml");
    }
}
