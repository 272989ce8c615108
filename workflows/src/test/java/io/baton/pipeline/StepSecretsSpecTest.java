package io.baton.pipeline;

import static io.baton.pipeline.SpecTesting.oneStep;
import static io.baton.pipeline.SpecTesting.onlyStep;
import static io.baton.pipeline.SpecTesting.problem;
import static io.baton.pipeline.SpecTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepSecretsSpecTest {
    @Test
    void readsTheSecretNamesAStepDeclares() {
        assertThat(onlyStep(oneStep("secrets: [API_TOKEN, _DB_PASSWORD2]")).secrets())
                .containsExactly("API_TOKEN", "_DB_PASSWORD2");
        assertThat(onlyStep(oneStep()).secrets()).isEmpty();
    }

    @Test
    void rejectsSecretNamesThatAreNotUpperCaseVariableNames() {
        assertThat(problem(oneStep("secrets: [ok_lower]")))
                .isEqualTo(new SpecProblem(
                        "steps[0].secrets[0]",
                        5,
                        15,
                        "'ok_lower' is not a secret's name: " + StepSpec.SECRET_NAME_RULE));
        assertThat(problem(oneStep("secrets: [GOOD, 2BAD]")).path()).isEqualTo("steps[0].secrets[1]");
        assertThat(problem(oneStep("secrets: [\"A-B\"]")).message()).contains("is not a secret's name");
        assertThat(problem(oneStep("secrets: [" + "A".repeat(129) + "]")).message())
                .contains("at most 128 characters");
    }

    @Test
    void rejectsReservedRepeatedAndNonListSecrets() {
        assertThat(problem(oneStep("secrets: [BATON_TOKEN]")).message()).contains("reserved");
        assertThat(problem(oneStep("secrets: [A, A]")))
                .isEqualTo(new SpecProblem("steps[0].secrets[1]", 5, 18, "secret 'A' is listed twice"));
        assertThat(problem(oneStep("secrets: A")).path()).isEqualTo("steps[0].secrets");
        assertThat(problem(oneStep("secrets: [{A: b}]")).path()).isEqualTo("steps[0].secrets[0]");
    }

    @Test
    void rejectsASecretThatIsAlsoInEnv() {
        assertThat(problems(oneStep("env: {TOKEN: x}", "secrets: [TOKEN]")))
                .containsExactly(new SpecProblem(
                        "steps[0].secrets[0]",
                        6,
                        15,
                        "'TOKEN' is both in 'env' and in 'secrets'; a step gets one value"));
    }
}
