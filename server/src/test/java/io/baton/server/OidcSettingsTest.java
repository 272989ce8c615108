package io.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

/** config/production.yml's {@code oidc:} block: off without BATON_OIDC_ISSUER, filled from the variables with it. */
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

    private static BatonConfiguration production(Map<String, String> env) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(env::get);
        return new YamlConfigurationFactory<>(
                        BatonConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(
                        new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor),
                        "../config/production.yml");
    }
}
