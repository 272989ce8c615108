package io.baton.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.server.core.BatonException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How groups name teams, which redirects are this server's, and settings that cannot work. */
class OidcLoginTest {
    @Test
    void groupsBecomeTeamNames() {
        assertThat(OidcLogin.teamNames(List.of("ML Engineers", "/ml/Vision Lab", "ops", "everyone", "42", "--", 7)))
                .containsExactly("ml-engineers", "ml-vision-lab", "ops");
        assertThat(OidcLogin.teamNames("Data-Science")).containsExactly("data-science");
        assertThat(OidcLogin.teamNames(null)).isEmpty();
        assertThat(OidcLogin.teamNames(List.of("a".repeat(100)))).containsExactly("a".repeat(63));
    }

    @Test
    void onlyPathsOfThisServerAreRedirects() {
        assertThat(OidcLogin.checkRedirect("/runs?state=all#top")).isEqualTo("/runs?state=all#top");
        for (String bad : List.of(
                "https://evil.example/", "//evil.example", "/\\evil.example", "runs", "/a\nb", "/a b c\u0000")) {
            assertThatThrownBy(() -> OidcLogin.checkRedirect(bad))
                    .as(bad)
                    .isInstanceOf(BatonException.class)
                    .extracting(e -> ((BatonException) e).status())
                    .isEqualTo(400);
        }
    }

    @Test
    void settingsThatCannotWorkAreNamed() {
        OidcSettings off = new OidcSettings();
        assertThat(OidcLogin.problems(off)).isEmpty();
        OidcSettings on = new OidcSettings();
        on.issuer = "https://sso.example.com";
        on.scopes = List.of("profile");
        assertThat(OidcLogin.problems(on)).hasSize(3);
    }

    @Test
    void pageScriptsHoldNoQuoteOrTag() {
        assertThat(SignInPage.js("/a\"</script><b>'\\")).doesNotContain("\"", "<", ">", "'", "\\\\");
        assertThat(SignInPage.finishing("bt_abc", "st", "/runs").html()).contains("\"bt_abc\"");
    }
}
