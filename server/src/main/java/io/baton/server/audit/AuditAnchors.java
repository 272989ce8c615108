package io.baton.server.audit;

import com.google.protobuf.ByteString;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.db.AuditDao;
import io.dropwizard.lifecycle.Managed;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the chain's head in workflow {@code audit-anchor} every {@code anchorSeconds} (when it moved), and reads
 * every recorded head back from the workflow's histories, run by run, for {@code GET /api/v1/audit/verify}.
 */
public final class AuditAnchors implements Managed {
    private static final Logger log = LoggerFactory.getLogger(AuditAnchors.class);
    private static final int MAX_RUNS = 10_000;

    private final AuditLog audit;
    private final Supplier<WorkflowClient> client;
    private final AuditSettings settings;
    private WorkerFactory factory;
    private ScheduledExecutorService timer;
    private long anchoredSeq;

    /** {@code client}: Temporal's client once connected (it is started before this). */
    public AuditAnchors(AuditLog audit, Supplier<WorkflowClient> client, AuditSettings settings) {
        this.audit = audit;
        this.client = client;
        this.settings = settings;
    }

    @Override
    public void start() {
        factory = WorkerFactory.newInstance(client.get());
        Worker worker = factory.newWorker(settings.anchorTaskQueue);
        worker.registerWorkflowImplementationTypes(AuditAnchorWorkflowImpl.class);
        factory.start();
        if (settings.anchorSeconds > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audit-anchor");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(
                    this::anchorQuietly, settings.anchorSeconds, settings.anchorSeconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdown();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
        audit.flush(5_000);
        anchorQuietly(); // the last head this server wrote
        if (factory != null) {
            factory.shutdown();
            factory.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void anchorQuietly() {
        try {
            anchorNow();
        } catch (RuntimeException e) {
            log.warn("cannot anchor the audit chain's head in Temporal ({}); trying again", e.toString());
        }
    }

    /** Records the head this server last wrote, when it moved since the last anchor; the head recorded, or null. */
    public synchronized AuditAnchor anchorNow() {
        AuditDao.Head head = audit.lastWritten();
        if (head == null || head.seq() <= anchoredSeq) {
            return null;
        }
        AuditAnchor anchor = new AuditAnchor(head.seq(), head.hash(), System.currentTimeMillis());
        WorkflowClient c = client.get();
        AuditAnchorWorkflow workflow = c.newWorkflowStub(
                AuditAnchorWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(settings.anchorWorkflowId)
                        .setTaskQueue(settings.anchorTaskQueue)
                        .build());
        BatchRequest request = c.newSignalWithStartRequest();
        request.add(workflow::run, new AuditAnchorWorkflow.Start(null, settings.anchorsPerWorkflowRun));
        request.add(workflow::anchor, anchor);
        c.signalWithStart(request);
        anchoredSeq = head.seq();
        return anchor;
    }

    /**
     * Every head recorded in the anchor workflow's histories that Temporal still keeps (its retention), newest run
     * first; none when the workflow never ran. 503 when Temporal does not answer.
     */
    public List<AuditAnchor> recorded() {
        WorkflowClient c = client.get();
        DataConverter converter = c.getOptions().getDataConverter();
        List<AuditAnchor> anchors = new ArrayList<>();
        String runId = "";
        try {
            for (int runs = 0; runs < MAX_RUNS; runs++) {
                String previous = readRun(c, converter, settings.anchorWorkflowId, runId, anchors);
                if (previous == null || previous.isEmpty()) {
                    break;
                }
                runId = previous;
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw new BatonException(
                        503,
                        ErrorCodes.UNAVAILABLE,
                        "Temporal does not answer (" + e.getStatus().getCode() + "); the audit chain's anchors"
                                + " cannot be read; try again");
            }
            // the workflow never ran, or Temporal's retention dropped the older runs
        }
        return anchors;
    }

    /** Adds one run's heads to {@code anchors}; the run it continued from ("" for the first). */
    private static String readRun(
            WorkflowClient c, DataConverter converter, String workflowId, String runId, List<AuditAnchor> anchors) {
        String previous = "";
        var stub = c.getWorkflowServiceStubs().blockingStub();
        ByteString page = ByteString.EMPTY;
        do {
            GetWorkflowExecutionHistoryResponse response = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                            .setNamespace(c.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder()
                                    .setWorkflowId(workflowId)
                                    .setRunId(runId))
                            .setNextPageToken(page)
                            .build());
            for (HistoryEvent event : response.getHistory().getEventsList()) {
                if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
                    var started = event.getWorkflowExecutionStartedEventAttributes();
                    previous = started.getContinuedExecutionRunId();
                    AuditAnchorWorkflow.Start start =
                            decode(converter, started.getInput(), AuditAnchorWorkflow.Start.class);
                    if (start != null && start.carried() != null) {
                        anchors.add(start.carried());
                    }
                } else if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
                        && AuditAnchorWorkflow.SIGNAL.equals(event.getWorkflowExecutionSignaledEventAttributes()
                                .getSignalName())) {
                    AuditAnchor anchor = decode(
                            converter,
                            event.getWorkflowExecutionSignaledEventAttributes().getInput(),
                            AuditAnchor.class);
                    if (anchor != null) {
                        anchors.add(anchor);
                    }
                }
            }
            page = response.getNextPageToken();
        } while (!page.isEmpty());
        return previous;
    }

    private static <T> T decode(DataConverter converter, Payloads payloads, Class<T> type) {
        if (payloads.getPayloadsCount() == 0) {
            return null;
        }
        return converter.fromPayloads(0, Optional.of(payloads), type, type);
    }
}
