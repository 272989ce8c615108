package io.baton.server.blobs;

import io.baton.bundle.BundleException;
import io.baton.bundle.BundleLimits;
import io.baton.bundle.BundleSummary;
import io.baton.bundle.Bundles;
import io.baton.server.api.BundleView;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.db.BundleDao;
import io.baton.server.db.BundleRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Code bundles: an upload is streamed to a private temporary file while it is hashed, inspected for unsafe entries
 * and size, and only then adopted by the blob store and recorded. Anything refused leaves nothing behind.
 */
public final class BundleService {
    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final BundleLimits limits;

    public BundleService(Jdbi jdbi, BlobStore blobs, BundleLimits limits) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.limits = limits;
    }

    /** Stores a bundle (once for the same bytes) and adds it to {@code project}. */
    public Upload upload(InputStream body, String createdBy, String project) throws IOException {
        BlobStore.Spooled spooled = blobs.spool(body);
        Path temp = spooled.file();
        long size = spooled.size();
        try {
            if (size == 0) {
                throw BatonException.badRequest(
                        "the body is empty; send the bundle as a tar.gz (Content-Type: application/gzip)");
            }
            String sha256 = spooled.sha256();
            BundleSummary summary;
            try (InputStream in = Files.newInputStream(temp)) {
                summary = Bundles.inspect(in, limits);
            } catch (BundleException e) {
                throw e.tooLarge()
                        ? BatonException.tooLarge(e.getMessage())
                        : new BatonException(400, ErrorCodes.UNSAFE_BUNDLE, e.getMessage());
            }
            BundleDao dao = jdbi.onDemand(BundleDao.class);
            boolean known = dao.find(sha256).isPresent();
            blobs.adopt(temp, sha256);
            if (!known) {
                try {
                    dao.insert(new BundleRow(sha256, size, summary.files(), createdBy, System.currentTimeMillis()));
                } catch (UnableToExecuteStatementException e) {
                    if (dao.find(sha256).isEmpty()) {
                        throw e; // not a concurrent upload of the same bytes
                    }
                }
            }
            dao.addToProject(sha256, project, createdBy, System.currentTimeMillis());
            return new Upload(new BundleView(sha256, size, summary.files()), !known);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public boolean exists(String sha256) {
        return jdbi.onDemand(BundleDao.class).find(sha256).isPresent();
    }

    /** The projects the bundle was uploaded to or run in. */
    public List<String> projects(String sha256) {
        return jdbi.onDemand(BundleDao.class).projects(sha256);
    }

    /** The bundle is run in {@code project} from now on (a run there uses it). */
    public void addToProject(String sha256, String project, String by) {
        jdbi.onDemand(BundleDao.class).addToProject(sha256, project, by, System.currentTimeMillis());
    }

    /** The projects holding a blob in any way (bundle, output, input, registry file). */
    public List<String> projectsHolding(String sha256) {
        return jdbi.onDemand(BundleDao.class).projectsHolding(sha256);
    }

    /** An upload's result; {@code created} is false when the same bytes were uploaded before. */
    public record Upload(BundleView bundle, boolean created) {}
}
