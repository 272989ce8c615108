package io.baton.server.oidc;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** OIDC sign-in ({@code oidc:} in the server's settings): off while {@link #issuer} is empty. */
public class OidcSettings {
    /** The issuer's URL, as its {@code .well-known/openid-configuration} names it (e.g. a Keycloak realm's URL). */
    @JsonProperty
    public String issuer = "";

    @JsonProperty
    public String clientId = "";

    /** Empty: a public client (PKCE alone); otherwise sent with HTTP Basic to the token endpoint. */
    @JsonProperty
    public String clientSecret = "";

    /** The callback's public URL, as registered at the issuer: {@code <publicUrl>/api/v1/login/oidc/callback}. */
    @JsonProperty
    public String redirectUri = "";

    @NotNull
    @JsonProperty
    public List<String> scopes = List.of("openid", "profile", "email");

    /** The claim listing the user's groups, each a team of that name; empty: teams are not mapped. */
    @JsonProperty
    public String groupsClaim = "groups";

    /** The claim a new user's name is taken from (the subject names the user from then on). */
    @JsonProperty
    public String usernameClaim = "preferred_username";

    /** The ID token's signature algorithm, as registered for the client at the issuer. */
    @NotNull
    @JsonProperty
    public String idTokenAlgorithm = "RS256";

    /** How long a sign-in may take between the redirect to the issuer and the callback. */
    @JsonProperty
    public int flowSeconds = 600;

    public boolean enabled() {
        return issuer != null && !issuer.isBlank();
    }
}
