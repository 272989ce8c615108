package io.baton.server.quota;

import io.baton.server.db.QuotaDao;
import io.baton.server.db.QuotaRow;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Whether an attempt may start under its user's and its project's quotas. The caps' row locks make starts under one
 * quota take turns on every server, and the running attempts are counted in the database, so none slips past a cap.
 */
public final class QuotaAdmission {
    private QuotaAdmission() {}

    /** The caps on a run's attempts, read before a start's transaction (none: the start takes no lock). */
    public static List<QuotaRow> caps(Jdbi jdbi, String runId) {
        return jdbi.withExtension(QuotaDao.class, dao -> dao.capsOfRun(runId));
    }

    /**
     * In a start's transaction at READ COMMITTED (so that the counts, read once the locks are held, are the committed
     * ones, not a snapshot from before): takes the caps' locks and answers why attempt {@code runId}/{@code step} needing {@code gpus} GPUs must
     * wait, or null when it may start.
     */
    public static String lockAndCheck(Handle h, List<QuotaRow> caps, String runId, String step, int gpus) {
        QuotaDao dao = h.attach(QuotaDao.class);
        String wait = null;
        for (QuotaRow cap : caps) { // projects first, then users: one order everywhere, so no two starts deadlock
            Optional<QuotaRow> now = dao.lock(cap.kind(), cap.name());
            if (now.isEmpty() || wait != null) {
                continue; // removed meanwhile; or the start waits already (the locks are still all taken, in order)
            }
            QuotaRow quota = now.get();
            QuotaDao.Usage usage = QuotaRow.USER.equals(quota.kind())
                    ? dao.usageOfUser(quota.name(), runId, step)
                    : dao.usageOfProject(quota.name(), runId, step);
            wait = reason(quota, usage, gpus);
        }
        return wait;
    }

    /** Why a start must wait under {@code quota} while {@code usage} runs, or null. */
    static String reason(QuotaRow quota, QuotaDao.Usage usage, int gpus) {
        String who = (QuotaRow.USER.equals(quota.kind()) ? "user " : "project ") + quota.name();
        if (quota.maxSteps() != null && usage.steps() + 1 > quota.maxSteps()) {
            return "waiting: " + who + " runs " + usage.steps() + " of " + count(quota.maxSteps(), "step") + " allowed";
        }
        if (quota.maxGpus() != null && gpus > 0 && usage.gpus() + gpus > quota.maxGpus()) {
            if (gpus > quota.maxGpus()) {
                return "waiting: the step needs " + count(gpus, "GPU") + ", more than the " + quota.maxGpus() + " "
                        + who + " is allowed at once (until its quota is raised)";
            }
            return "waiting: " + who + " runs " + usage.gpus() + " of " + count(quota.maxGpus(), "GPU") + " allowed";
        }
        return null;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
