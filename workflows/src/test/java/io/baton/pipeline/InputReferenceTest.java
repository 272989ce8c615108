package io.baton.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.pipeline.InputReference.Kind;
import org.junit.jupiter.api.Test;

/** One grammar of registry references: {@code [project/]name/<version>} or {@code [project/]name@alias}. */
class InputReferenceTest {
    @Test
    void aReferenceWithoutAProjectNamesNone() {
        assertThat(InputReference.parse("model://resnet@production"))
                .isEqualTo(new InputReference(Kind.MODEL, "resnet", null, null, "production", null));
        assertThat(InputReference.parse("dataset://iris/3"))
                .isEqualTo(new InputReference(Kind.DATASET, "iris", null, 3L, null, null));
    }

    @Test
    void aProjectComesBeforeTheNameAndANumberIsAlwaysAVersion() {
        assertThat(InputReference.parse("model://vision/resnet@production"))
                .isEqualTo(new InputReference(Kind.MODEL, "resnet", null, null, "production", "vision"));
        assertThat(InputReference.parse("model://vision/resnet/12"))
                .isEqualTo(new InputReference(Kind.MODEL, "resnet", null, 12L, null, "vision"));
        assertThat(InputReference.parse("dataset://team-2/iris@latest"))
                .isEqualTo(new InputReference(Kind.DATASET, "iris", null, null, "latest", "team-2"));
        assertThat(InputReference.parse("dataset://iris/3").project()).isNull();
        assertThat(InputReference.parse("model://vision/resnet/12").registryName())
                .isEqualTo("vision/resnet/12");
        assertThat(InputReference.parse("model://resnet@prod").registryName()).isEqualTo("resnet@prod");
    }

    @Test
    void refusesWhatTheGrammarDoesNotSay() {
        for (String bad : new String[] {
            "model://Vision/resnet@prod", // project names are lower case
            "model://a/b/c@prod",
            "model://vision/resnet",
            "model://vision/resnet/0",
            "dataset://vision/iris/3/4",
            "model://../resnet@prod"
        }) {
            assertThatThrownBy(() -> InputReference.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[project/]name");
        }
        assertThatThrownBy(() -> InputReference.parse("dataset://vision/iris@prod"))
                .hasMessage("dataset reference 'dataset://vision/iris@prod' must end in /<version> or @latest");
    }
}
