package io.baton.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.baton.bundle.BundleLimits;
import io.baton.common.PayloadKeyFile;
import io.baton.server.access.Access;
import io.baton.server.access.ProjectService;
import io.baton.server.access.UserService;
import io.baton.server.attempts.Approvals;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.attempts.ControlActivitiesImpl;
import io.baton.server.attempts.StepEnds;
import io.baton.server.attempts.WorkflowRecordChecks;
import io.baton.server.audit.AuditAnchors;
import io.baton.server.audit.AuditFilter;
import io.baton.server.audit.AuditLog;
import io.baton.server.auth.AttemptGuard;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenAuthFeature;
import io.baton.server.auth.TokenAuthFilter;
import io.baton.server.auth.TokenService;
import io.baton.server.blobs.BlobStore;
import io.baton.server.blobs.BundleService;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.PublicUrl;
import io.baton.server.endpoints.EndpointActivitiesImpl;
import io.baton.server.endpoints.EndpointReconciler;
import io.baton.server.endpoints.EndpointService;
import io.baton.server.endpoints.EndpointSpecs;
import io.baton.server.endpoints.ReplicaReports;
import io.baton.server.health.HealthChecks;
import io.baton.server.health.TemporalHealthCheck;
import io.baton.server.local.DevServer;
import io.baton.server.local.LocalWorker;
import io.baton.server.local.MariaDbServer;
import io.baton.server.local.Ports;
import io.baton.server.local.PrivateFolder;
import io.baton.server.logs.LogFollows;
import io.baton.server.logs.LogReader;
import io.baton.server.mlflow.MlflowArtifacts;
import io.baton.server.mlflow.MlflowRegistry;
import io.baton.server.mlflow.MlflowTracking;
import io.baton.server.oidc.OidcLogin;
import io.baton.server.openapi.OpenApiDocument;
import io.baton.server.openapi.OpenApiResource;
import io.baton.server.quota.QuotaService;
import io.baton.server.registry.DatasetRegistry;
import io.baton.server.registry.Lineage;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.registry.RegistryAccess;
import io.baton.server.registry.RegistryInputs;
import io.baton.server.resources.ArtifactResource;
import io.baton.server.resources.AttemptResource;
import io.baton.server.resources.AuditResource;
import io.baton.server.resources.BlobResource;
import io.baton.server.resources.BundleResource;
import io.baton.server.resources.DatasetResource;
import io.baton.server.resources.EndpointMetricsResource;
import io.baton.server.resources.EndpointResource;
import io.baton.server.resources.ErrorMappers;
import io.baton.server.resources.HealthResource;
import io.baton.server.resources.JettyErrors;
import io.baton.server.resources.MlflowArtifactResource;
import io.baton.server.resources.MlflowErrors;
import io.baton.server.resources.MlflowResource;
import io.baton.server.resources.ModelResource;
import io.baton.server.resources.NoPathParameters;
import io.baton.server.resources.OidcResource;
import io.baton.server.resources.PipelineResource;
import io.baton.server.resources.PoolResource;
import io.baton.server.resources.ProjectMlflowArtifactResource;
import io.baton.server.resources.ProjectMlflowResource;
import io.baton.server.resources.ProjectResource;
import io.baton.server.resources.QuotaResource;
import io.baton.server.resources.RequestLimits;
import io.baton.server.resources.RunResource;
import io.baton.server.resources.ScheduleResource;
import io.baton.server.resources.SecretResource;
import io.baton.server.resources.ServeResource;
import io.baton.server.resources.SignInMethodsResource;
import io.baton.server.resources.TemporalCodecResource;
import io.baton.server.resources.TokenResource;
import io.baton.server.resources.UserResource;
import io.baton.server.resources.WebUiAssetsResource;
import io.baton.server.resources.WebUiResource;
import io.baton.server.resources.WorkerResource;
import io.baton.server.runs.PipelineService;
import io.baton.server.runs.QueuedRunStarter;
import io.baton.server.runs.RunAccess;
import io.baton.server.runs.RunEndWaits;
import io.baton.server.runs.RunQueries;
import io.baton.server.runs.RunRecordExport;
import io.baton.server.runs.RunService;
import io.baton.server.schedules.ScheduleChecks;
import io.baton.server.schedules.ScheduleFires;
import io.baton.server.schedules.ScheduleReconciler;
import io.baton.server.schedules.ScheduleService;
import io.baton.server.schedules.TemporalSchedules;
import io.baton.server.secrets.SecretService;
import io.baton.server.serving.EndpointMetrics;
import io.baton.server.serving.EndpointRoutes;
import io.baton.server.serving.ServeProxy;
import io.baton.server.serving.ServingMetrics;
import io.baton.server.temporal.TemporalService;
import io.baton.server.workers.PoolService;
import io.baton.server.workers.WorkerService;
import io.baton.workflows.PayloadKeys;
import io.baton.workflows.SealedPayloads;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Baton's server. {@link #run} wires everything, in order: read it as the table of contents of the server. */
public class BatonApplication extends Application<BatonConfiguration> {
    public static void main(String[] args) throws Exception {
        new BatonApplication().run(args);
    }

    @Override
    public String getName() {
        return "baton";
    }

    @Override
    public void initialize(Bootstrap<BatonConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addCommand(new DemoCommand(this));
        bootstrap.addCommand(new CreateUserCommand());
    }

    @Override
    public void run(BatonConfiguration config, Environment environment) throws Exception {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            // a followed log is flushed piece by piece: without a sync flush the gzip deflater holds the pieces back
            // from a browser (which asks for gzip; the CLI does not) until the answer ends
            server.getGzipFilterFactory().setSyncFlush(true);
        }
        // A duplicate key or 3.7 for a whole number is refused: "last wins" or truncation would silently change a
        // request.
        environment
                .getObjectMapper()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // local mode's folder holds everything, specs' secrets and the database included: its owner's alone
        Path dataDir = config.localDatabase.enabled
                ? PrivateFolder.create(Path.of(config.dataDir))
                : Files.createDirectories(Path.of(config.dataDir));

        // Data: local mode's database server first (managed first, so it stops last, after the HTTP server, the
        // workers and the pool), then the schema, JDBI and the blob store.
        if (config.localDatabase.enabled) {
            startLocalDatabase(config, dataDir, environment);
        }
        migrate(config);
        Jdbi jdbi = new JdbiFactory().build(environment, config.database, HealthChecks.DATABASE);
        jdbi.installPlugin(new SqlObjectPlugin());
        BlobStore blobs = new FolderBlobStore(dataDir.resolve("blobs"));

        // Auth: tokens, users and projects, and local mode's admin token file before the health route can answer.
        TokenService tokens = new TokenService(jdbi);
        Access access = new Access(jdbi);
        UserService users = new UserService(
                jdbi,
                tokens,
                access,
                Duration.ofHours(config.auth.sessionHours).toMillis(),
                config.auth.loginFailures,
                Duration.ofSeconds(config.auth.loginWindowSeconds).toMillis());
        ProjectService projects = new ProjectService(jdbi, access);
        OidcLogin oidc = new OidcLogin(
                config.oidc,
                jdbi,
                users,
                projects,
                access,
                tokens,
                Duration.ofHours(config.auth.sessionHours).toMillis());
        boolean localMode = config.temporal.devServer.enabled || config.localDatabase.enabled;
        SecretService secrets = new SecretService(jdbi, access, config.secrets.cipher(dataDir, localMode));
        if (!config.auth.adminTokenFile.isBlank()) {
            tokens.ensureAdminTokenFile(Path.of(config.auth.adminTokenFile));
        }
        if (!config.auth.bootstrapAdminToken.isBlank()) {
            tokens.ensureBootstrapToken(config.auth.bootstrapAdminToken);
        }

        // Temporal's payload keys: the server seals what it sends, the codec route opens what the UI shows.
        String payloadKey = payloadKey(config, dataDir);
        PayloadKeys payloadKeys = PayloadKeys.parse(payloadKey);
        SealedPayloads sealing = new SealedPayloads(payloadKeys, config.temporal.acceptPlainPayloads);
        SealedPayloads uiSealing = new SealedPayloads(payloadKeys, true);

        // Registry: models and datasets, and the lineage between them and runs.
        ModelRegistry models = new ModelRegistry(jdbi);
        BundleLimits archiveLimits =
                new BundleLimits(config.limits.maxBundleFiles, config.limits.maxBundleUnpackedBytes);
        DatasetRegistry datasets = new DatasetRegistry(jdbi, blobs, archiveLimits);
        RegistryInputs registryInputs = new RegistryInputs(models, datasets, access);
        RegistryAccess registryAccess = new RegistryAccess(access);
        Lineage lineage = new Lineage(jdbi, blobs, access);
        MlflowRegistry mlflowRegistry = new MlflowRegistry(models, jdbi);
        MlflowArtifacts mlflowArtifacts = new MlflowArtifacts(models);
        MlflowTracking mlflowTracking = new MlflowTracking(jdbi, registryAccess, blobs);

        // Attempts: what workers report and the workflow's control activities write (the ends of steps and runs).
        // Clients that wait for a run's end hold no thread; two threads read the runs again when they are woken.
        RunEndWaits ends = new RunEndWaits(environment
                .lifecycle()
                .executorService("run-ends-%d")
                .minThreads(2)
                .maxThreads(2)
                .build());
        AttemptRecorder recorder = new AttemptRecorder(jdbi, blobs);
        StepEnds stepEnds = new StepEnds(jdbi, models, ends);
        WorkflowRecordChecks recordChecks = new WorkflowRecordChecks(jdbi);
        ControlActivitiesImpl control = new ControlActivitiesImpl(stepEnds, recordChecks);
        TemporalService temporal =
                new TemporalService(config.temporal, control, new EndpointActivitiesImpl(jdbi), sealing);
        Approvals approvals = new Approvals(jdbi, temporal);
        AttemptGuard attemptGuard = new AttemptGuard(jdbi, temporal::stepGivenTo);

        // Workers and pools, then runs: submission checks steps against the pools, views name pools with no worker.
        WorkerService workers = new WorkerService(jdbi, Duration.ofSeconds(config.workers.offlineAfterSeconds));
        PoolService pools = new PoolService(workers, temporal, jdbi);
        BundleService bundles = new BundleService(jdbi, blobs, archiveLimits);
        PipelineService pipelines = new PipelineService(jdbi);
        RunQueries views =
                new RunQueries(jdbi, config.temporal.uiUrl, config.temporal.namespace, workers::onlineByPool);
        RunRecordExport records = new RunRecordExport(jdbi, views);
        RunService runs = new RunService(
                jdbi, bundles, temporal, views, pipelines, blobs, registryInputs::resolve, pools, access, secrets);
        RunAccess runAccess = new RunAccess(jdbi, access);
        LogReader logs = new LogReader(jdbi);
        LogFollows follows = new LogFollows(jdbi);
        PublicUrl publicUrl = new PublicUrl(config.publicUrl);
        EndpointService endpoints =
                new EndpointService(jdbi, access, temporal, new EndpointSpecs(models, bundles, pools, access));
        models.onAliasMoved(endpoints::aliasMoved);

        // Endpoints' traffic: the /serve proxy, and the requests it counted (written every few seconds).
        ServingMetrics servingMetrics = new ServingMetrics(jdbi, config.serving);
        ServeProxy serveProxy = new ServeProxy(
                access, new EndpointRoutes(jdbi, config.serving.routeCacheMillis), servingMetrics, config.serving);
        EndpointMetrics endpointMetrics = new EndpointMetrics(jdbi, access, servingMetrics);

        // Schedules: Temporal Schedules whose action records a run here (a control activity) and then runs it.
        ScheduleChecks scheduleChecks = new ScheduleChecks(access, pipelines, bundles, datasets);
        TemporalSchedules temporalSchedules = new TemporalSchedules(temporal);
        temporal.addControlActivities(new ScheduleFires(jdbi, runs, scheduleChecks, temporal));
        ScheduleService schedules = new ScheduleService(jdbi, access, scheduleChecks, temporalSchedules, views);
        ScheduleReconciler scheduleReconciler = new ScheduleReconciler(jdbi, temporalSchedules, scheduleChecks);
        datasets.onNewVersion(scheduleReconciler::datasetVersionCreated);

        // Processes and engines, started in this order and stopped in reverse.
        if (config.temporal.devServer.enabled) {
            environment
                    .lifecycle()
                    .manage(new DevServer(config.temporal.devServer, config.temporal.namespace, dataDir));
        }
        environment.lifecycle().manage(temporal);
        environment.lifecycle().manage(new QueuedRunStarter(jdbi, runs));
        environment.lifecycle().manage(new EndpointReconciler(jdbi, endpoints, temporal));
        environment.lifecycle().manage(scheduleReconciler);
        if (config.localWorker.enabled) {
            LocalWorker localWorker = new LocalWorker(
                    config.localWorker,
                    config.temporal,
                    Path.of(config.dataDir),
                    tokens,
                    recorder,
                    payloadKey,
                    secrets);
            environment.lifecycle().manage(localWorker);
            environment.lifecycle().addServerLifecycleListener(localWorker::serverStarted);
        }
        environment.lifecycle().addServerLifecycleListener(server -> publicUrl.listening(Ports.application(server)));
        environment.lifecycle().addServerLifecycleListener(server -> announce(config, Ports.application(server)));
        environment.lifecycle().manage(follows);
        environment.lifecycle().manage(servingMetrics);

        // Audit: every change appended to a hash chain by one writer thread, its head anchored in Temporal.
        AuditLog audit = new AuditLog(jdbi, config.audit);
        AuditAnchors anchors = new AuditAnchors(audit, temporal::client, config.audit);
        environment.lifecycle().manage(audit);
        environment.lifecycle().manage(anchors);
        if (config.audit.enabled) {
            environment.jersey().register(new AuditFilter(audit));
        }
        environment.jersey().register(new AuditResource(audit, anchors, access));

        // HTTP: limits, auth, errors, routes.
        JettyErrors.install(config.getServerFactory(), environment);
        environment
                .jersey()
                .register(new RequestLimits(
                        config.limits.maxRequestBytes,
                        config.limits.maxBundleBytes,
                        config.limits.maxArtifactBytes,
                        config.limits.maxServeBytes));
        environment.jersey().register(new NoPathParameters());
        environment.jersey().register(new TokenAuthFeature(TokenAuthFilter.create(tokens)));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new ErrorMappers());
        environment.healthChecks().register(HealthChecks.TEMPORAL, new TemporalHealthCheck(temporal));
        environment.jersey().register(new HealthResource(environment.healthChecks()));
        environment.jersey().register(new BundleResource(bundles, access));
        environment.jersey().register(new ArtifactResource(blobs, lineage, bundles, access));
        environment
                .jersey()
                .register(new RunResource(runAccess, runs, views, logs, temporal, approvals, records, ends, follows));
        environment.jersey().register(new ModelResource(models, lineage, registryAccess, audit, views));
        environment.jersey().register(new MlflowResource(mlflowRegistry, mlflowTracking, publicUrl, registryAccess));
        environment
                .jersey()
                .register(new ProjectMlflowResource(mlflowRegistry, mlflowTracking, publicUrl, registryAccess));
        environment
                .jersey()
                .register(new MlflowArtifactResource(mlflowArtifacts, mlflowTracking, publicUrl, registryAccess));
        environment
                .jersey()
                .register(
                        new ProjectMlflowArtifactResource(mlflowArtifacts, mlflowTracking, publicUrl, registryAccess));
        environment.jersey().register(new MlflowErrors());
        environment.jersey().register(new DatasetResource(datasets, registryAccess));
        environment.jersey().register(new PipelineResource(pipelines, access));
        environment.jersey().register(new ScheduleResource(schedules));
        environment.jersey().register(new BlobResource(blobs));
        environment.jersey().register(new AttemptResource(recorder, attemptGuard, tokens, secrets));
        environment.jersey().register(new TokenResource(tokens));
        environment.jersey().register(new UserResource(users));
        environment.jersey().register(new OidcResource(oidc));
        environment.jersey().register(new SignInMethodsResource(oidc));
        environment.jersey().register(new WebUiResource());
        environment.jersey().register(new WebUiAssetsResource());
        environment.jersey().register(new ProjectResource(projects));
        environment.jersey().register(new SecretResource(secrets));
        environment
                .jersey()
                .register(new WorkerResource(workers, tokens, runAccess, new ReplicaReports(jdbi, temporal)));
        environment.jersey().register(new EndpointResource(endpoints));
        environment.jersey().register(new PoolResource(pools));
        // quotas and fair shares (issue 16)
        environment.jersey().register(new QuotaResource(new QuotaService(jdbi, access)));
        // endpoints' traffic (issue 17)
        environment.jersey().register(new ServeResource(serveProxy));
        environment.jersey().register(new EndpointMetricsResource(endpointMetrics));
        environment.jersey().register(new TemporalCodecResource(sealing, uiSealing, config.temporal.uiUrl, runAccess));
        // the OpenAPI document of the routes above, and Swagger UI's page for it (issue 18)
        environment
                .jersey()
                .register(new OpenApiResource(
                        new OpenApiDocument(environment.jersey().getResourceConfig())));
    }

    /** The payload key's text: the setting, the key file, or local mode's own file (made on first start). */
    static String payloadKey(BatonConfiguration config, Path dataDir) throws IOException {
        // an empty ${VAR:-} reads as null
        String key = config.temporal.payloadKey;
        String file = config.temporal.payloadKeyFile;
        boolean localMode = config.temporal.devServer.enabled || config.localDatabase.enabled;
        if ((key == null || key.isBlank()) && (file == null || file.isBlank()) && localMode) {
            file = PayloadKeyFile.ensure(dataDir.resolve("payload.key")).toString();
        }
        return PayloadKeyFile.text(key, file);
    }

    private static void startLocalDatabase(BatonConfiguration config, Path dataDir, Environment environment)
            throws Exception {
        MariaDbServer database = new MariaDbServer(
                dataDir.resolve("mariadb"),
                config.localDatabase.port,
                config.localDatabase.bufferPool,
                Files.createDirectories(dataDir.resolve("logs")).resolve("mariadb.log"));
        environment.lifecycle().manage(database);
        database.start();
        config.database.setUrl(database.jdbcUrl("baton"));
        config.database.setUser(database.user());
        config.database.setPassword(database.password());
    }

    static void migrate(BatonConfiguration config) {
        Flyway.configure()
                .dataSource(config.database.getUrl(), config.database.getUser(), config.database.getPassword())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static void announce(BatonConfiguration config, int port) {
        StringBuilder s = new StringBuilder("\nBaton is up.\n  API:         http://127.0.0.1:" + port + "/api/v1\n");
        if (config.temporal.uiUrl != null && !config.temporal.uiUrl.isBlank()) {
            s.append("  Temporal UI: ").append(config.temporal.uiUrl).append('\n');
        }
        if (!config.auth.adminTokenFile.isBlank()) {
            s.append("  Admin token: ")
                    .append(Path.of(config.auth.adminTokenFile).toAbsolutePath())
                    .append('\n');
        }
        System.out.println(s);
    }
}
