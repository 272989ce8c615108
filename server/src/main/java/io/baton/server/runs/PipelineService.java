package io.baton.server.runs;

import io.baton.common.Hashing;
import io.baton.pipeline.PipelineSpec;
import io.baton.pipeline.SpecException;
import io.baton.pipeline.SpecParser;
import io.baton.pipeline.SpecProblem;
import io.baton.server.api.PipelineView;
import io.baton.server.api.ValidationView;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Projects;
import io.baton.server.db.PipelineDao;
import io.baton.server.db.PipelineVersionRow;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Registered pipelines: a spec registered under its name; each new content is a new version. */
public final class PipelineService {
    private final Jdbi jdbi;

    public PipelineService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The result of a registration; {@code created} is false when the same content was registered before. */
    public record Registered(PipelineView pipeline, boolean created) {}

    /** Parses and checks a spec as a run would; every problem is in the exception's details. */
    public static PipelineSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw BatonException.badRequest("'spec' is required: the text of a baton.yaml");
        }
        try {
            return SpecParser.parse(text);
        } catch (SpecException e) {
            throw new BatonException(400, ErrorCodes.INVALID_SPEC, e.getMessage(), e.problems());
        }
    }

    public ValidationView validate(String text) {
        if (text == null) {
            throw BatonException.badRequest("'spec' is required: the text of a baton.yaml");
        }
        List<SpecProblem> problems = SpecParser.validate(text);
        return new ValidationView(problems.isEmpty(), problems);
    }

    public Registered register(String project, String text, String user) {
        String p = Projects.check(project);
        PipelineSpec spec = parse(text);
        String sha = Hashing.sha256(text);
        PipelineDao dao = jdbi.onDemand(PipelineDao.class);
        var existing = dao.findByContent(p, spec.name(), sha);
        if (existing.isPresent()) {
            return new Registered(view(existing.get(), false), false);
        }
        for (int tries = 0; ; tries++) {
            int version = dao.latest(p, spec.name()).map(r -> r.version() + 1).orElse(1);
            PipelineVersionRow row =
                    new PipelineVersionRow(p, spec.name(), version, text, sha, user, System.currentTimeMillis());
            try {
                dao.insert(row);
                return new Registered(view(row, false), true);
            } catch (UnableToExecuteStatementException e) {
                var raced = dao.findByContent(p, spec.name(), sha);
                if (raced.isPresent()) {
                    return new Registered(view(raced.get(), false), false);
                }
                if (tries > 5) {
                    throw e;
                }
            }
        }
    }

    public List<PipelineView> list(String project) {
        return jdbi.onDemand(PipelineDao.class).latestOfProject(Projects.check(project)).stream()
                .map(r -> view(r, false))
                .toList();
    }

    public List<PipelineView> versions(String project, String name) {
        List<PipelineView> versions = jdbi.onDemand(PipelineDao.class).versions(Projects.check(project), name).stream()
                .map(r -> view(r, false))
                .toList();
        if (versions.isEmpty()) {
            throw BatonException.notFound("no pipeline '" + name + "' in project '" + Projects.check(project) + "'");
        }
        return versions;
    }

    /** A version, with its spec; the latest when {@code version} is null. */
    public PipelineView version(String project, String name, Integer version) {
        PipelineDao dao = jdbi.onDemand(PipelineDao.class);
        var row = version == null
                ? dao.latest(Projects.check(project), name)
                : dao.find(Projects.check(project), name, version);
        return row.map(r -> view(r, true))
                .orElseThrow(() -> BatonException.notFound(
                        version == null
                                ? "no pipeline '" + name + "' in project '" + Projects.check(project) + "'"
                                : "pipeline '" + name + "' has no version " + version));
    }

    private static PipelineView view(PipelineVersionRow r, boolean withSpec) {
        return new PipelineView(
                r.project(),
                r.name(),
                r.version(),
                r.specSha256(),
                r.createdBy(),
                Instant.ofEpochMilli(r.createdAt()),
                withSpec ? r.spec() : null);
    }
}
