package io.baton.server.temporal;

import com.google.protobuf.util.Durations;
import io.baton.common.TemporalConnection;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.workflows.ApprovalDecision;
import io.baton.workflows.ControlActivities;
import io.baton.workflows.EndpointActivities;
import io.baton.workflows.EndpointState;
import io.baton.workflows.EndpointWorkflow;
import io.baton.workflows.EndpointWorkflowImpl;
import io.baton.workflows.FairTurns;
import io.baton.workflows.Payloads;
import io.baton.workflows.PipelineWorkflow;
import io.baton.workflows.PipelineWorkflowImpl;
import io.baton.workflows.ReplicaWorkflow;
import io.baton.workflows.ReplicaWorkflowImpl;
import io.baton.workflows.RunPlan;
import io.baton.workflows.ScheduledRunWorkflowImpl;
import io.baton.workflows.SealedPayloads;
import io.baton.workflows.SearchAttributes;
import io.baton.workflows.TaskQueues;
import io.dropwizard.lifecycle.Managed;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's link to Temporal: the client that starts and cancels runs, and the workflow worker that runs
 * {@link PipelineWorkflow}s with their control activities as local activities in this process.
 */
public final class TemporalService implements Managed {
    private static final Logger log = LoggerFactory.getLogger(TemporalService.class);
    private final TemporalSettings settings;
    private final ControlActivities control;
    private final EndpointActivities endpoints;
    private final DataConverter converter;
    private volatile WorkflowServiceStubs service;
    private volatile WorkflowClient client;
    private volatile ScheduleClient schedules;
    private WorkerFactory factory;
    private boolean searchAttributes;
    private final List<Object> moreControlActivities = new ArrayList<>();

    /**
     * {@code control} and {@code endpoints}: the record's side of the workflows this process runs; {@code codec}: seals
     * every payload this process writes to Temporal, and checks every one it reads.
     */
    public TemporalService(
            TemporalSettings settings, ControlActivities control, EndpointActivities endpoints, SealedPayloads codec) {
        this.settings = settings;
        this.control = control;
        this.endpoints = endpoints;
        this.converter = Payloads.sealed(codec);
    }

    @Override
    public void start() throws Exception {
        var tls = new TemporalConnection.Tls(settings.tls.clientCert, settings.tls.clientKey, settings.tls.serverCa);
        service = TemporalConnection.connect(settings.target, tls, Duration.ofMinutes(2));
        if (settings.devServer.enabled && settings.retentionDays > 0) {
            setRetention(settings.retentionDays);
        }
        searchAttributes = ensureSearchAttributes();
        client = WorkflowClient.newInstance(
                service,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(settings.namespace)
                        .setIdentity("baton-server")
                        .setDataConverter(converter)
                        .build());
        schedules = ScheduleClient.newInstance(
                service,
                ScheduleClientOptions.newBuilder()
                        .setNamespace(settings.namespace)
                        .setIdentity("baton-server")
                        .setDataConverter(converter)
                        .build());
        factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(TaskQueues.CONTROL);
        worker.registerWorkflowImplementationTypes(
                PipelineWorkflowImpl.class,
                ScheduledRunWorkflowImpl.class,
                EndpointWorkflowImpl.class,
                ReplicaWorkflowImpl.class);
        worker.registerActivitiesImplementations(control);
        worker.registerActivitiesImplementations(endpoints);
        if (!moreControlActivities.isEmpty()) {
            worker.registerActivitiesImplementations(moreControlActivities.toArray());
        }
        factory.start();
        log.info("connected to Temporal at {} (namespace {})", settings.target, settings.namespace);
    }

    @Override
    public void stop() {
        if (factory != null) {
            factory.shutdown();
            factory.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (service != null) {
            service.shutdown();
            service.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Registers more activities on the control task queue (e.g. the schedules'); before {@link #start}. */
    public void addControlActivities(Object activities) {
        moreControlActivities.add(activities);
    }

    /** The client of Temporal Schedules. */
    public ScheduleClient schedules() {
        if (schedules == null) {
            throw new IllegalStateException("Temporal is not connected yet");
        }
        return schedules;
    }

    /** Whether runs' workflows carry Baton's search attributes (registered at start where allowed). */
    public boolean searchAttributes() {
        return searchAttributes;
    }

    public WorkflowClient client() {
        if (client == null) {
            throw new IllegalStateException("Temporal is not connected yet");
        }
        return client;
    }

    /** Starts a run's workflow; a run whose workflow exists already (a retry, the reconciler) is left alone. */
    public void startRun(RunPlan plan) {
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                .setWorkflowId(PipelineWorkflow.workflowId(plan.runId()))
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                // this process's own workflow worker takes the run's first workflow task straight from the start's
                // answer
                // (when the Temporal server allows it: system.enableEagerWorkflowStart), instead of through matching
                .setDisableEagerExecution(false)
                .setPriority(FairTurns.priority(plan));
        if (searchAttributes) {
            options.setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                    .set(SearchAttributes.PROJECT, plan.project())
                    .set(SearchAttributes.PIPELINE, plan.pipeline())
                    .build());
        }
        PipelineWorkflow workflow = client().newWorkflowStub(PipelineWorkflow.class, options.build());
        try {
            WorkflowClient.start(workflow::run, plan);
        } catch (WorkflowExecutionAlreadyStarted e) {
            log.debug("workflow of run {} already started", plan.runId());
        }
    }

    public void signalDecision(String runId, ApprovalDecision decision) {
        client().newWorkflowStub(PipelineWorkflow.class, PipelineWorkflow.workflowId(runId))
                .decide(decision);
    }

    public void cancelRun(String runId) {
        client().newUntypedWorkflowStub(PipelineWorkflow.workflowId(runId)).cancel();
    }

    /** Starts an endpoint's workflow; one that runs already is left alone (one that ended may start again). */
    public void startEndpoint(String endpointId) {
        EndpointWorkflow workflow = client().newWorkflowStub(
                        EndpointWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(EndpointWorkflow.workflowId(endpointId))
                                .setTaskQueue(TaskQueues.CONTROL)
                                .setWorkflowIdReusePolicy(
                                        WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                                .build());
        try {
            WorkflowClient.start(workflow::run, EndpointState.start(endpointId));
        } catch (WorkflowExecutionAlreadyStarted e) {
            log.debug("workflow of endpoint {} already runs", endpointId);
        }
    }

    /** Tells an endpoint's workflow that its record changed. */
    public void endpointChanged(String endpointId) {
        client().newWorkflowStub(EndpointWorkflow.class, EndpointWorkflow.workflowId(endpointId))
                .changed();
    }

    /** Tells an endpoint's workflow that one of its replicas answers its health path. */
    public void replicaReady(String endpointId, String replicaId) {
        client().newWorkflowStub(EndpointWorkflow.class, EndpointWorkflow.workflowId(endpointId))
                .replicaReady(replicaId);
    }

    /**
     * True when a step of the run is running on {@code worker} now, as Temporal sees it (the worker's identity is its
     * name). One DescribeWorkflowExecution: the price of an attempt start reported over HTTP.
     */
    public boolean stepGivenTo(String runId, String worker) {
        return activityGivenTo(PipelineWorkflow.workflowId(runId), worker);
    }

    /** True when the replica's activity runs on {@code worker} now, as Temporal sees it. */
    public boolean replicaGivenTo(String replicaId, String worker) {
        return activityGivenTo(ReplicaWorkflow.workflowId(replicaId), worker);
    }

    private boolean activityGivenTo(String workflowId, String worker) {
        try {
            var description = service.blockingStub()
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(settings.namespace)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build());
            return description.getPendingActivitiesList().stream()
                    .anyMatch(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                            && worker.equals(a.getLastWorkerIdentity()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            // Temporal away (restarting): the worker tries again, as it does for any 5xx
            throw new BatonException(
                    503,
                    ErrorCodes.UNAVAILABLE,
                    "Temporal does not answer (" + e.getStatus().getCode() + "); try again");
        }
    }

    /** Activities waiting on a task queue (Temporal's approximate count); 0 when it cannot tell. */
    public long activityBacklog(String taskQueue) {
        try {
            return service.blockingStub()
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                            .setNamespace(settings.namespace)
                            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                            .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                            .setReportStats(true)
                            .build())
                    .getStats()
                    .getApproximateBacklogCount();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** True when Temporal answers now. */
    public boolean healthy() {
        WorkflowServiceStubs s = service;
        if (s == null) {
            return false;
        }
        try {
            s.blockingStub()
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void setRetention(int days) {
        var current = service.blockingStub()
                .describeNamespace(DescribeNamespaceRequest.newBuilder()
                        .setNamespace(settings.namespace)
                        .build());
        var wanted = Durations.fromDays(days);
        if (current.getConfig().getWorkflowExecutionRetentionTtl().equals(wanted)) {
            return;
        }
        service.blockingStub()
                .updateNamespace(UpdateNamespaceRequest.newBuilder()
                        .setNamespace(settings.namespace)
                        .setConfig(NamespaceConfig.newBuilder().setWorkflowExecutionRetentionTtl(wanted))
                        .build());
        log.info("set the retention of namespace {} to {} days", settings.namespace, days);
    }

    /** Registers Baton's search attributes where it may; without them runs still work, only the UI filter is lost. */
    private boolean ensureSearchAttributes() {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
        try {
            Map<String, IndexedValueType> existing = operator.blockingStub()
                    .listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                            .setNamespace(settings.namespace)
                            .build())
                    .getCustomAttributesMap();
            AddSearchAttributesRequest.Builder add =
                    AddSearchAttributesRequest.newBuilder().setNamespace(settings.namespace);
            for (SearchAttributeKey<String> key : SearchAttributes.ALL) {
                if (!existing.containsKey(key.getName())) {
                    add.putSearchAttributes(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
                }
            }
            if (add.getSearchAttributesCount() > 0) {
                operator.blockingStub().addSearchAttributes(add.build());
                log.info(
                        "registered search attributes {}",
                        add.getSearchAttributesMap().keySet());
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("cannot register Baton's search attributes ({}); runs start without them", e.getMessage());
            return false;
        } finally {
            operator.shutdown();
        }
    }
}
