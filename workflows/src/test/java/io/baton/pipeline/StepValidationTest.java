package io.baton.pipeline;

import static io.baton.pipeline.SpecTesting.oneStep;
import static io.baton.pipeline.SpecTesting.onlyStep;
import static io.baton.pipeline.SpecTesting.problem;
import static io.baton.pipeline.SpecTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepValidationTest {
    @Test
    void rejectsDuplicateStepNames() {
        String yaml = """
        name: p
        steps:
          - name: prep
            command: [a]
          - name: train
            command: [b]
          - name: prep
            command: [c]
        """;
        assertThat(problem(yaml))
                .isEqualTo(new SpecProblem("steps[2].name", 7, 11, "duplicate step name 'prep' (first at line 3)"));
    }

    @Test
    void rejectsMissingStepNameAndCommand() {
        String yaml = "name: p\nsteps:\n  - pool: cpu\n";
        assertThat(problems(yaml))
                .containsExactly(
                        new SpecProblem("steps[0].name", 3, 5, "name is required"),
                        new SpecProblem("steps[0].command", 3, 5, "command is required"));
    }

    @Test
    void rejectsInvalidStepNames() {
        SpecProblem p = problem("name: p\nsteps: [{name: \"train[0]\", command: x}]\n");
        assertThat(p.path()).isEqualTo("steps[0].name");
        assertThat(p.message()).startsWith("'train[0]' is not a valid name");
        assertThat(SpecParser.parse("name: p\nsteps: [{name: Train_v1.2-b, command: x}]\n")
                        .steps()
                        .get(0)
                        .name())
                .isEqualTo("Train_v1.2-b");
    }

    @Test
    void rejectsNeedsNamingUnknownStep() {
        String yaml = """
        name: p
        steps:
          - name: a
            command: [x]
          - name: b
            command: [x]
            needs: [a, ghost]
        """;
        assertThat(problem(yaml))
                .isEqualTo(new SpecProblem("steps[1].needs[1]", 7, 16, "needs names unknown step 'ghost'"));
    }

    @Test
    void rejectsStepNeedingItselfOnceAndNotAsACycle() {
        String yaml = "name: p\nsteps:\n  - name: a\n    command: [x]\n    needs: [a]\n";
        assertThat(problem(yaml)).isEqualTo(new SpecProblem("steps[0].needs[0]", 5, 13, "a step can't need itself"));
    }

    @Test
    void rejectsNeedListedTwice() {
        String yaml = "name: p\nsteps:\n  - {name: a, command: x}\n  - {name: b, command: x, needs: [a, a]}\n";
        assertThat(problem(yaml))
                .isEqualTo(new SpecProblem("steps[1].needs[1]", 4, 38, "'a' is listed twice in needs"));
    }

    @Test
    void detectsCycles() {
        String yaml = """
        name: p
        steps:
          - {name: a, command: x, needs: [b]}
          - {name: b, command: x, needs: [a]}
          - {name: c, command: x, needs: [e]}
          - {name: d, command: x, needs: [c]}
          - {name: e, command: x, needs: [d, a]}
          - {name: f, command: x, needs: [a, e]}
        """;
        assertThat(problems(yaml))
                .containsExactly(
                        new SpecProblem("steps[0].needs[0]", 3, 35, "dependency cycle: a needs b, b needs a"),
                        new SpecProblem(
                                "steps[2].needs[0]", 5, 35, "dependency cycle: c needs e, e needs d, d needs c"));
    }

    @Test
    void reportsOneProblemForACycleWithSeveralLoops() {
        // a, b and c all need each other: one group, reported once.
        String yaml = """
        name: p
        steps:
          - {name: a, command: x, needs: [b, c]}
          - {name: b, command: x, needs: [c, a]}
          - {name: c, command: x, needs: [a, b]}
        """;
        assertThat(problem(yaml).message()).isEqualTo("dependency cycle: a needs b, b needs a");
    }

    @Test
    void rejectsValuesOfTheWrongYamlType() {
        String yaml = oneStep(
                "needs: 3",
                "env: [a]",
                "cache: yes-please",
                "outputs: out.txt",
                "inputs: [a]",
                "matrix: [a]",
                "resources: 2",
                "approval: 1",
                "pool: [cpu]",
                "timeout: {s: 1}",
                "image: {a: b}");
        assertThat(problems(yaml))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple("steps[0].needs", 5, "expected a list of step names, found integer 3"),
                        tuple("steps[0].env", 6, "expected a mapping of NAME: value, found a list"),
                        tuple("steps[0].cache", 7, "expected true or false, found string 'yes-please'"),
                        tuple("steps[0].outputs", 8, "expected a list of output paths, found string 'out.txt'"),
                        tuple("steps[0].inputs", 9, "expected a mapping of input name to reference, found a list"),
                        tuple("steps[0].matrix", 10, "expected a mapping of name to a list of values, found a list"),
                        tuple(
                                "steps[0].resources",
                                11,
                                "expected a mapping with cpus, memory and/or gpus, found integer 2"),
                        tuple("steps[0].approval", 12, "expected true or false, found integer 1"),
                        tuple("steps[0].pool", 13, "expected a name, found a list"),
                        tuple("steps[0].timeout", 14, "expected a duration such as 30s, found a mapping"),
                        tuple("steps[0].image", 15, "expected an image name (a string), found a mapping"));
    }

    @Test
    void appliesDefaultsForLeftOutFields() {
        StepSpec s = onlyStep(oneStep());
        assertThat(s)
                .isEqualTo(new StepSpec(
                        "s",
                        List.of("run"),
                        "cpu",
                        List.of(),
                        Map.of(),
                        RetrySpec.NONE,
                        null,
                        null,
                        null,
                        Map.of(),
                        List.of(),
                        ResourcesSpec.DEFAULT,
                        false,
                        false,
                        Map.of(),
                        null));
        // An empty value is the same as leaving the key out.
        assertThat(onlyStep(oneStep("needs:", "pool:", "timeout:"))).isEqualTo(s);
    }

    @Test
    void splitsStringCommandShellStyleWithoutEvaluating() {
        StepSpec s = onlyStep(oneStep()
                .replace(
                        "command: [run]",
                        "command: python3 train.py --name 'a b' \"c \\\"d\\\" $HOME\" $(whoami) x;y `id` *.py"));
        assertThat(s.command())
                .containsExactly(
                        "python3", "train.py", "--name", "a b", "c \"d\" $HOME", "$(whoami)", "x;y", "`id`", "*.py");
    }

    @Test
    void rejectsUnterminatedQuoteInStringCommand() {
        SpecProblem p = problem("name: p\nsteps:\n  - name: a\n    command: echo 'oops\n");
        assertThat(p)
                .isEqualTo(new SpecProblem(
                        "steps[0].command",
                        4,
                        14,
                        "cannot split the command: unterminated single quote at character 6"));
    }

    @Test
    void rejectsEmptyCommands() {
        assertThat(problem(oneStep().replace("[run]", "[]")))
                .isEqualTo(new SpecProblem("steps[0].command", 4, 14, "command must not be empty"));
        assertThat(problem(oneStep().replace("[run]", "\"   \"")).message()).isEqualTo("command must not be empty");
    }

    @Test
    void rendersListCommandScalarsAsWrittenAndRejectsNestedValues() {
        assertThat(onlyStep(oneStep().replace("[run]", "[python3, 1.50, true, 010, '']"))
                        .command())
                .containsExactly("python3", "1.50", "true", "010", "");
        assertThat(problems(oneStep().replace("[run]", "[a, [b], null]")))
                .extracting(SpecProblem::path, SpecProblem::message)
                .containsExactly(
                        tuple("steps[0].command[1]", "expected an argument (a string or number), found a list"),
                        tuple("steps[0].command[2]", "expected an argument (a string or number), found null"));
    }

    @Test
    void checksPlaceholdersAgainstParametersAndMatrix() {
        String yaml = """
        name: p
        parameters: [{name: lr, type: float, default: 0.1}]
        steps:
          - name: a
            matrix: {seed: [1, 2]}
            command: ["--lr={parameters.lr}", "{matrix.seed}", "{json}", "{parameters.nope}", "{matrix.lr}",
                      "{parameters.}"]
          - name: b
            command: run {parameters.lr} {matrix.seed}
        """;
        assertThat(problems(yaml))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple(
                                "steps[0].command[3]",
                                6,
                                "unknown placeholder {parameters.nope}: no parameter 'nope' is declared"),
                        tuple(
                                "steps[0].command[4]",
                                6,
                                "unknown placeholder {matrix.lr}: the step's matrix has no key 'lr'"),
                        tuple(
                                "steps[0].command[5]",
                                7,
                                "unknown placeholder {parameters.}: no parameter '' is declared"),
                        tuple(
                                "steps[1].command",
                                9,
                                "unknown placeholder {matrix.seed}: the step's matrix has no key 'seed'"));
    }

    @Test
    void validatesPool() {
        assertThat(onlyStep(oneStep("pool: gpu-a100")).pool()).isEqualTo("gpu-a100");
        SpecProblem p = problem(oneStep("pool: GPU"));
        assertThat(p.path()).isEqualTo("steps[0].pool");
        assertThat(p.message()).startsWith("'GPU' is not a valid name");
    }

    @Test
    void rejectsInputFromAStepWithoutOutputs() {
        String yaml = """
        name: p
        steps:
          - {name: raw, command: x}
          - {name: use, command: x, needs: [raw], inputs: {f: raw/file.bin}}
        """;
        assertThat(SpecParser.validate(yaml)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("steps[1].inputs.f");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("declares no outputs").contains("outputs: [file.bin]");
        });
    }

    @Test
    void acceptsEveryInputReferenceForm() {
        // (an input from a step that declares no outputs is refused: rejectsInputFromAStepWithoutOutputs)
        String hash = "a".repeat(64);
        String yaml = """
        name: p
        steps:
          - {name: prep, command: x, outputs: [data.npz, "reports/*.json"]}
          - {name: raw, command: x, outputs: ["some/*"]}
          - name: train
            command: x
            needs: [prep, raw]
            inputs:
              data: prep/data.npz
              report: prep/reports/summary.json
              all: prep/*.npz
              anything: raw/some/file.bin
              blob: sha256:%s
              ds: dataset://iris/3
              dslatest: dataset://iris@latest
              m: model://classifier/12
              prod: model://classifier@production
              other: model://vision/classifier@production
              otherv: dataset://vision/iris/3
              numbered: model://team-2/m2/7
        """.formatted(hash);
        assertThat(SpecParser.validate(yaml)).isEmpty();
        assertThat(SpecParser.parse(yaml).steps().get(2).inputs())
                .containsKeys("data", "report", "all", "anything", "blob", "ds", "dslatest", "m", "prod", "other")
                .hasSize(12);
    }

    @Test
    void rejectsBadInputs() {
        String yaml = """
        name: p
        steps:
          - {name: prep, command: x, outputs: [data.npz]}
          - {name: other, command: x}
          - name: train
            command: x
            needs: [prep]
            inputs:
              a: prep/model.pkl
              b: other/x.csv
              c: ghost/x.csv
              d: sha256:abc
              e: dataset://iris@prod
              f: model://m/0
              g: just-a-word
              "h i": prep/data.npz
              j: prep/../etc/passwd
        """;
        assertThat(problems(yaml))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple(
                                "steps[2].inputs.a",
                                9,
                                "input 'a' wants model.pkl from step 'prep', which declares no such output;"
                                        + " its outputs: data.npz"),
                        tuple(
                                "steps[2].inputs.b",
                                10,
                                "input 'b' comes from step 'other', which is not in this step's needs;"
                                        + " add it to needs"),
                        tuple("steps[2].inputs.c", 11, "input 'c' comes from step 'ghost', which is not in the spec"),
                        tuple(
                                "steps[2].inputs.d",
                                12,
                                "'sha256:abc' is not an artifact reference: expected sha256: followed by"
                                        + " 64 lower-case hex digits"),
                        tuple(
                                "steps[2].inputs.e",
                                13,
                                "dataset reference 'dataset://iris@prod' must end in /<version> or @latest"),
                        tuple(
                                "steps[2].inputs.f",
                                14,
                                "'model://m/0' is not a model reference: expected model://[project/]name/<version>"
                                        + " or model://[project/]name@alias"),
                        tuple(
                                "steps[2].inputs.g",
                                15,
                                "'just-a-word' is not an input reference: expected step/path,"
                                        + " sha256:<64 hex digits>, dataset://[project/]name/<version>,"
                                        + " dataset://[project/]name@latest, model://[project/]name/<version> or"
                                        + " model://[project/]name@alias"),
                        tuple(
                                "steps[2].inputs.h i",
                                16,
                                "'h i' is not a valid input name: letters, digits, '_', '.' and '-'"),
                        tuple("steps[2].inputs.j", 17, "input path '../etc/passwd' must not contain a '..' segment"));
    }

    @Test
    void rejectsAbsoluteAndParentOutputs() {
        String yaml = oneStep("outputs: [model.pkl, \"plots/*.png\", /etc/passwd, ../up, a/../../b, 'C:\\x', '']");
        assertThat(problems(yaml))
                .extracting(SpecProblem::path, SpecProblem::message)
                .containsExactly(
                        tuple(
                                "steps[0].outputs[2]",
                                "output '/etc/passwd' must be relative (under $BATON_OUTPUTS), not absolute"),
                        tuple("steps[0].outputs[3]", "output '../up' must not contain a '..' segment"),
                        tuple("steps[0].outputs[4]", "output 'a/../../b' must not contain a '..' segment"),
                        tuple(
                                "steps[0].outputs[5]",
                                "output 'C:\\x' must be relative (under $BATON_OUTPUTS), not absolute"),
                        tuple("steps[0].outputs[6]", "output '' must not be empty"));
        assertThat(onlyStep(oneStep("outputs: [model.pkl, \"plots/*.png\"]")).outputs())
                .containsExactly("model.pkl", "plots/*.png");
    }

    @Test
    void readsEnvAsTextAndRejectsReservedAndInvalidNames() {
        assertThat(onlyStep(oneStep("env: {A: 1, B: 0.50, C: true, D: \"\", _E: x y}"))
                        .env())
                .containsExactly(
                        Map.entry("A", "1"),
                        Map.entry("B", "0.50"),
                        Map.entry("C", "true"),
                        Map.entry("D", ""),
                        Map.entry("_E", "x y"));
        assertThat(problems(oneStep("env: {BATON_STEP: x, 1A: y, A-B: z, L: [1], N: }")))
                .extracting(SpecProblem::path, SpecProblem::message)
                .containsExactly(
                        tuple(
                                "steps[0].env.BATON_STEP",
                                "'BATON_STEP' is reserved: names starting with BATON_ are set by Baton"),
                        tuple(
                                "steps[0].env.1A",
                                "'1A' is not a valid environment variable name: letters, digits and '_',"
                                        + " not starting with a digit"),
                        tuple(
                                "steps[0].env.A-B",
                                "'A-B' is not a valid environment variable name: letters, digits and '_',"
                                        + " not starting with a digit"),
                        tuple("steps[0].env.L", "expected a value (a string, number or boolean), found a list"),
                        tuple("steps[0].env.N", "environment variable 'N' has no value; write \"\" for an empty one"));
    }

    @Test
    void parsesResources() {
        assertThat(onlyStep(oneStep("resources: {cpus: 0.5, memory: 512Mi, gpus: 2}"))
                        .resources())
                .isEqualTo(new ResourcesSpec(0.5, 512L * 1024 * 1024, 2));
        assertThat(onlyStep(oneStep("resources: {memory: 1000}")).resources()).isEqualTo(new ResourcesSpec(1, 1000, 0));
        assertThat(onlyStep(oneStep("resources: {gpus: 1}")).resources()).isEqualTo(new ResourcesSpec(1, 0, 1));
        assertThat(problems(oneStep("resources: {cpus: 0, memory: 2GB, gpus: -1}")))
                .extracting(SpecProblem::path, SpecProblem::column, SpecProblem::message)
                .containsExactly(
                        tuple("steps[0].resources.cpus", 23, "cpus must be positive, found 0"),
                        tuple(
                                "steps[0].resources.memory",
                                34,
                                "'2GB' is not a memory quantity: expected a number with an optional"
                                        + " unit Ki, Mi, Gi, Ti (1024-based) or K, M, G, T (1000-based), e.g. 512Mi, 2Gi, 1G, 1000"),
                        tuple("steps[0].resources.gpus", 45, "gpus must be a non-negative whole number, found -1"));
        assertThat(problem(oneStep("resources: {cpus: two}")).message())
                .isEqualTo("expected a number, found string 'two'");
        assertThat(problem(oneStep("resources: {gpus: 1.5}")).message())
                .isEqualTo("expected an integer, found float 1.5");
    }

    @Test
    void parsesRetriesAsNumberOrMapping() {
        assertThat(onlyStep(oneStep("retries: 0")).retries()).isEqualTo(RetrySpec.NONE);
        assertThat(onlyStep(oneStep("retries: 100")).retries().retries()).isEqualTo(100);
        assertThat(onlyStep(oneStep("retries: {retries: 3, backoff: 10s, maxBackoff: 5m}"))
                        .retries())
                .isEqualTo(new RetrySpec(3, Duration.ofSeconds(10), Duration.ofMinutes(5)));
        assertThat(onlyStep(oneStep("retries: {retries: 2}")).retries())
                .isEqualTo(new RetrySpec(2, RetrySpec.DEFAULT_BACKOFF, RetrySpec.DEFAULT_MAX_BACKOFF));
        // A backoff above the default cap, with no cap given, raises the cap rather than failing.
        assertThat(onlyStep(oneStep("retries: {retries: 2, backoff: 5m}")).retries())
                .isEqualTo(new RetrySpec(2, Duration.ofMinutes(5), Duration.ofMinutes(5)));
    }

    @Test
    void rejectsBadRetries() {
        assertThat(problem(oneStep("retries: 101")))
                .isEqualTo(new SpecProblem("steps[0].retries", 5, 14, "retries must be between 0 and 100, found 101"));
        assertThat(problem(oneStep("retries: -1")).message()).isEqualTo("retries must be between 0 and 100, found -1");
        assertThat(problem(oneStep("retries: three")).message()).isEqualTo("expected an integer, found string 'three'");
        assertThat(problem(oneStep("retries: {retries: 1, backoff: 2m, maxBackoff: 30s}")))
                .isEqualTo(new SpecProblem(
                        "steps[0].retries.maxBackoff", 5, 52, "maxBackoff 30s is shorter than backoff 2m"));
        assertThat(problem(oneStep("retries: {backoff: 1s}")))
                .isEqualTo(new SpecProblem("steps[0].retries.retries", 5, 14, "retries is required"));
    }

    @Test
    void parsesAndChecksDurations() {
        StepSpec s = onlyStep(oneStep("timeout: 2h", "heartbeatTimeout: 500ms"));
        assertThat(s.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(problems(oneStep("timeout: 0s", "heartbeatTimeout: 30")))
                .extracting(SpecProblem::path, SpecProblem::message)
                .containsExactly(
                        tuple("steps[0].timeout", "timeout must be positive, found 0s"),
                        tuple(
                                "steps[0].heartbeatTimeout",
                                "'30' is not a duration: expected a whole number followed by"
                                        + " ms, s, m, h or d (e.g. 500ms, 30s, 10m, 2h)"));
    }

    @Test
    void readsCacheAndApproval() {
        StepSpec s = onlyStep(oneStep("cache: true", "approval: True"));
        assertThat(s.cache()).isTrue();
        assertThat(s.approval()).isTrue();
    }

    @Test
    void parsesMatrixInOrderWithTypedValues() {
        StepSpec s = onlyStep(oneStep("matrix: {lr: [0.1, 0.01], depth: [3, 5], kind: [a, \"3\"], on: [true]}"));
        assertThat(s.matrix())
                .containsExactly(
                        Map.entry("lr", List.of(0.1, 0.01)),
                        Map.entry("depth", List.of(3L, 5L)),
                        Map.entry("kind", List.of("a", "3")),
                        Map.entry("on", List.of(true)));
    }

    @Test
    void rejectsBadMatrices() {
        assertThat(problems(oneStep("matrix: {lr: [], 1x: [1], d: [1, 1.0, 2, 1], m: [[1]], n: 3}")))
                .extracting(SpecProblem::path, SpecProblem::message)
                .containsExactly(
                        tuple("steps[0].matrix.lr", "matrix key 'lr' has no values"),
                        tuple(
                                "steps[0].matrix.1x",
                                "'1x' is not a valid matrix key: letters, digits and '_', not starting"
                                        + " with a digit"),
                        tuple("steps[0].matrix.d[3]", "duplicate value 1 in matrix key 'd'"),
                        tuple("steps[0].matrix.m[0]", "expected a value (a string, number or boolean), found a list"),
                        tuple("steps[0].matrix.n", "expected a list of values, found integer 3"));
    }

    @Test
    void rejectsMatrixWithMoreThanAThousandCombinations() {
        String ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
        assertThat(SpecParser.validate(oneStep("matrix: {a: " + ten + ", b: " + ten + ", c: " + ten + "}")))
                .isEmpty();
        SpecProblem p = problem(oneStep("matrix: {a: " + ten + ", b: " + ten + ", c: " + ten + ", d: [x, y]}"));
        assertThat(p)
                .isEqualTo(new SpecProblem(
                        "steps[0].matrix", 5, 13, "the matrix has 2000 combinations; at most 1000 are allowed"));
    }

    @Test
    void rejectsStepThatIsNotAMapping() {
        assertThat(problem("name: p\nsteps: [run]\n"))
                .isEqualTo(new SpecProblem(
                        "steps[0]",
                        2,
                        9,
                        "expected a step (a mapping with at least name and command), found string 'run'"));
    }
}
