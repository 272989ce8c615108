package io.baton.server.secrets;

import io.baton.pipeline.SpecProblem;
import io.baton.pipeline.StepSpec;
import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.SecretRequest;
import io.baton.server.api.SecretView;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Json;
import io.baton.server.core.Projects;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.SecretDao;
import io.baton.server.db.SecretRow;
import io.baton.workflows.RunPlan;
import io.baton.workflows.StepPlan;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Project secrets: set and removed by the project's admins, listed without values, sealed at rest, and opened only
 * for the attempt of a step that declares them (docs/security.md, "Secrets").
 */
public final class SecretService {
    /** A value's size in UTF-8 bytes, at most. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /** Secrets in one project, at most: a list answers in one page. */
    static final int MAX_PER_PROJECT = 500;

    private final Jdbi jdbi;
    private final Access access;
    private final Optional<SecretCipher> cipher;

    public SecretService(Jdbi jdbi, Access access, Optional<SecretCipher> cipher) {
        this.jdbi = jdbi;
        this.access = access;
        this.cipher = cipher;
    }

    /** The secret as set, and whether it was new. */
    public record Put(SecretView view, boolean created) {}

    /** Sets a secret's value (sealed before it is written). */
    public Put put(String project, String name, SecretRequest request, Caller caller) {
        requireAdmin(project, caller);
        checkName(name);
        if (request == null || request.value() == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'value' (a string)");
        }
        String value = request.value();
        if (value.isEmpty()) {
            throw BatonException.badRequest("'value' is empty; delete the secret instead");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw BatonException.tooLarge("a secret's value may have at most " + MAX_VALUE_BYTES + " bytes (UTF-8)");
        }
        SecretCipher.Sealed sealed = cipher().seal(project, name, value);
        long now = System.currentTimeMillis();
        return jdbi.inTransaction(h -> {
            SecretDao dao = h.attach(SecretDao.class);
            Optional<SecretRow> before = dao.lock(project, name);
            SecretRow row = new SecretRow(
                    project,
                    name,
                    sealed.ciphertext(),
                    sealed.keyId(),
                    before.map(SecretRow::createdBy).orElse(caller.name()),
                    before.map(SecretRow::createdById).orElse(caller.userId()),
                    before.map(SecretRow::createdAt).orElse(now),
                    caller.name(),
                    caller.userId(),
                    now);
            if (before.isPresent()) {
                dao.update(row);
            } else {
                if (dao.ofProject(project).size() >= MAX_PER_PROJECT) {
                    throw BatonException.conflict(
                            "project '" + project + "' has " + MAX_PER_PROJECT + " secrets, the most it may hold");
                }
                dao.insert(row);
            }
            return new Put(view(row), before.isEmpty());
        });
    }

    /** The project's secrets, names and metadata only; for its admins. */
    public List<SecretView> list(String project, Caller caller) {
        requireAdmin(project, caller);
        return jdbi.onDemand(SecretDao.class).ofProject(project).stream()
                .map(SecretService::view)
                .toList();
    }

    public void delete(String project, String name, Caller caller) {
        requireAdmin(project, caller);
        checkName(name);
        if (jdbi.onDemand(SecretDao.class).delete(project, name) == 0) {
            throw notFound(project, name);
        }
    }

    /** The secrets that steps declare and their project lacks, as problems of the submission (400). */
    public void requireDeclared(String project, List<StepPlan> steps) {
        Set<String> wanted = new TreeSet<>();
        steps.forEach(s -> wanted.addAll(s.secrets()));
        if (wanted.isEmpty()) {
            return;
        }
        Set<String> known = new TreeSet<>();
        jdbi.onDemand(SecretDao.class).named(project, List.copyOf(wanted)).forEach(r -> known.add(r.name()));
        List<SpecProblem> problems = new ArrayList<>();
        for (StepPlan step : steps) {
            for (String name : step.secrets()) {
                if (!known.contains(name)) {
                    problems.add(new SpecProblem(
                            "steps." + step.name() + ".secrets",
                            null,
                            null,
                            "project '" + project + "' has no secret '" + name + "'; its admins set it with PUT"
                                    + " /api/v1/projects/" + project + "/secrets/" + name));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BatonException(
                    400,
                    ErrorCodes.UNKNOWN_SECRET,
                    problems.get(0).path() + ": " + problems.get(0).message(),
                    problems);
        }
    }

    /**
     * The values of the secrets that step {@code step} of run {@code runId} declares, by name, for the attempt that
     * starts it (the caller has checked that the reporting worker holds the run's step). A secret removed since the
     * submission fails the attempt's start (409).
     */
    public Map<String, String> forAttempt(String runId, String step) {
        Optional<RunRow> found = jdbi.onDemand(RunDao.class).find(runId);
        if (found.isEmpty() || !found.get().plan().contains("\"secrets\"")) {
            return Map.of(); // no step of its plan declares one (the plan leaves an empty list out): nothing to parse
        }
        RunRow run = found.get();
        List<String> names = Json.read(run.plan(), RunPlan.class).steps().stream()
                .filter(s -> s.name().equals(step))
                .findFirst()
                .map(StepPlan::secrets)
                .orElse(List.of());
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, SecretRow> rows = new LinkedHashMap<>();
        jdbi.onDemand(SecretDao.class).named(run.project(), names).forEach(r -> rows.put(r.name(), r));
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            SecretRow row = rows.get(name);
            if (row == null) {
                throw BatonException.conflict("step '" + step + "' declares secret '" + name + "', which project '"
                        + run.project() + "' no longer has");
            }
            try {
                values.put(
                        name,
                        cipher().open(
                                        row.project(),
                                        row.name(),
                                        new SecretCipher.Sealed(row.keyId(), row.ciphertext())));
            } catch (GeneralSecurityException e) {
                throw BatonException.conflict("secret '" + name + "' of project '" + run.project()
                        + "' cannot be opened with the configured keys (secrets.key)");
            }
        }
        return values;
    }

    private void requireAdmin(String project, Caller caller) {
        Projects.check(project);
        access.require(caller, project, Permission.MANAGE);
    }

    private static void checkName(String name) {
        if (name == null || !StepSpec.SECRET_NAME.matcher(name).matches()) {
            throw BatonException.badRequest("a secret's name is " + StepSpec.SECRET_NAME_RULE);
        }
        if (name.startsWith("BATON_")) {
            throw BatonException.badRequest("names starting with BATON_ are set by Baton");
        }
    }

    private SecretCipher cipher() {
        return cipher.orElseThrow(() -> new BatonException(
                503,
                ErrorCodes.UNAVAILABLE,
                "no key for secrets is configured: set secrets.key (BATON_SECRETS_KEY, the base64 of 32 bytes) or"
                        + " secrets.keyFile"));
    }

    private static BatonException notFound(String project, String name) {
        return BatonException.notFound("project '" + project + "' has no secret '" + name + "'");
    }

    private static SecretView view(SecretRow r) {
        return new SecretView(
                r.project(),
                r.name(),
                r.keyId(),
                r.createdBy(),
                r.createdById(),
                Instant.ofEpochMilli(r.createdAt()),
                r.updatedBy(),
                r.updatedById(),
                Instant.ofEpochMilli(r.updatedAt()));
    }
}
