package io.baton.server.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.InProcessServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/v1/quotas} on the real application (fast tier): who sets and reads which quota, and bad input. */
class QuotaRoutesTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private static Api admin;

    @BeforeAll
    static void admin() {
        admin = server.admin();
    }

    @Test
    void globalAdminsSetQuotasAndUsersReadTheirOwn() {
        Api erin = admin.user("erin");
        admin.user("frank");
        Api.Answer set = admin.send("PUT", "/quotas/users/erin", Map.of("steps", 4, "gpus", 1));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().get("kind").asText()).isEqualTo("user");
        assertThat(set.json().get("steps").asInt()).isEqualTo(4);
        assertThat(set.json().get("gpus").asInt()).isEqualTo(1);
        assertThat(set.json().has("share")).isFalse();
        assertThat(set.json().get("running").get("steps").asInt()).isZero();
        assertThat(set.json().get("setBy").asText()).isEqualTo("admin");

        JsonNode own = erin.get("/quotas/users/erin").json();
        assertThat(own.get("gpus").asInt()).isEqualTo(1);
        assertThat(erin.get("/quotas/users/frank").status())
                .as("another user's quota is not erin's to read")
                .isEqualTo(404);
        assertThat(erin.send("PUT", "/quotas/users/erin", Map.of("steps", 100)).status())
                .isEqualTo(403);
        assertThat(erin.get("/quotas").status()).isEqualTo(403);
        assertThat(admin.get("/quotas").json().get("items").toString()).contains("\"name\":\"erin\"");

        Map<String, Object> lifted = new HashMap<>();
        lifted.put("steps", null);
        Api.Answer none = admin.send("PUT", "/quotas/users/erin", lifted);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("steps").isNull()).isTrue();
        assertThat(none.json().get("gpus").isNull())
                .as("a PUT replaces the whole quota")
                .isTrue();
        assertThat(admin.get("/quotas").json().get("items").toString()).doesNotContain("\"name\":\"erin\"");
    }

    @Test
    void projectAdminsReadTheirProjectsQuotaAndShare() {
        Api gina = admin.user("gina");
        Api hal = admin.user("hal");
        gina.project("quota-lab");
        gina.grant("quota-lab", "hal", "viewer");

        JsonNode fresh = gina.get("/quotas/projects/quota-lab").json();
        assertThat(fresh.get("share").asDouble()).isEqualTo(1.0);
        assertThat(fresh.get("steps").isNull()).isTrue();
        Api.Answer set = admin.send("PUT", "/quotas/projects/quota-lab", Map.of("gpus", 2, "share", 3));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(gina.get("/quotas/projects/quota-lab").json().get("share").asDouble())
                .isEqualTo(3.0);
        assertThat(gina.send("PUT", "/quotas/projects/quota-lab", Map.of("gpus", 8))
                        .status())
                .as("a project admin reads the quota, only a global admin sets it")
                .isEqualTo(403);
        assertThat(hal.get("/quotas/projects/quota-lab").status()).isEqualTo(403);
        assertThat(admin.user("ivy").get("/quotas/projects/quota-lab").status())
                .as("no role in the project: it does not exist for them")
                .isEqualTo(404);
        assertThat(admin.get("/quotas/projects/no-such-project").status()).isEqualTo(404);
        assertThat(admin.send("PUT", "/quotas/projects/no-such-project", Map.of("steps", 1))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void badQuotasAreRefusedAndNothingIsWritten() {
        admin.user("jack");
        for (Object body : new Object[] {
            Map.of("steps", -1),
            Map.of("gpus", 100_001),
            Map.of("share", 2), // a user has no share
            "[1, 2]",
        }) {
            Api.Answer refused = admin.send("PUT", "/quotas/users/jack", body);
            assertThat(refused.status()).as(body + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.json().has("error")).isTrue();
        }
        admin.project("quota-bad");
        for (Map<String, Object> body :
                new Map[] {Map.of("share", 0), Map.of("share", -1), Map.of("share", 1001), Map.of("steps", 1.5)}) {
            Api.Answer refused = admin.send("PUT", "/quotas/projects/quota-bad", body);
            assertThat(refused.status()).as(body + ": " + refused.text()).isEqualTo(400);
        }
        assertThat(admin.send("PUT", "/quotas/users/nobody-here", Map.of("steps", 1))
                        .status())
                .isEqualTo(404);
        assertThat(admin.get("/quotas/users/jack").json().get("steps").isNull()).isTrue();
        assertThat(admin.get("/quotas/projects/quota-bad").json().get("share").asDouble())
                .isEqualTo(1.0);
    }
}
