package io.baton.server.local;

import io.baton.common.Retry;
import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepProcess;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB server of Baton's own, a child process on its own folder, port and socket: local mode's metadata and
 * the tests' database (docs/architecture.md, "Local mode's database").
 */
public final class MariaDbServer implements Managed {
    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_WITHIN = Duration.ofSeconds(60);
    private static final String OPTIONS = "?useUnicode=true&characterEncoding=utf8&useSSL=false"
            + "&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
    public static final String USER = "baton";
    /** The modes of the files and folders the server makes (its own variables): its owner's alone. */
    private static final Map<String, String> PRIVATE_FILES = Map.of("UMASK", "0600", "UMASK_DIR", "0700");

    private final Path folder;
    private final int port;
    private final String bufferPool;
    private final Path logPath;
    private final PidRegistry pids;
    private final String password = newPassword();
    private StepProcess process;
    private OutputStream logFile;

    /**
     * @param folder  the server's own folder: its data, socket and pid records (made private)
     * @param port    the TCP port on 127.0.0.1
     * @param bufferPool InnoDB's buffer pool, e.g. {@code 64M}
     * @param logPath where the server's own log goes
     */
    public MariaDbServer(Path folder, int port, String bufferPool, Path logPath) throws IOException {
        this.folder = PrivateFolder.create(folder);
        this.port = port;
        this.bufferPool = bufferPool;
        this.logPath = logPath;
        this.pids = new PidRegistry(folder.resolve("pids"));
    }

    /** Installs the data folder on first use, then starts the server and waits until it answers. Idempotent. */
    @Override
    public synchronized void start() throws Exception {
        if (process != null && !process.done()) {
            return;
        }
        int reaped = pids.reapLeftovers();
        if (reaped > 0) {
            log.warn("ended a MariaDB server left by a Baton that was killed");
        }
        Path data = folder.resolve("data");
        if (!Files.isDirectory(data.resolve("mysql"))) {
            install(data);
        }
        Path initFile = writeInitFile();
        logFile = Files.newOutputStream(logPath, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(PRIVATE_FILES);
        log.info("starting MariaDB on 127.0.0.1:{} (data in {}, log in {})", port, data, logPath);
        process = StepProcess.start(serverCommand(data, initFile), folder, env, logFile, logFile, pids);
        try {
            waitUntilReady();
        } finally {
            Files.deleteIfExists(initFile);
        }
    }

    /** A clean shutdown (TERM, then the server writes its buffers and exits); KILL only past a minute. */
    @Override
    public synchronized void stop() throws IOException {
        if (process != null) {
            process.terminate(SHUTDOWN_WITHIN);
            process.forget();
            process = null;
        }
        if (logFile != null) {
            logFile.close();
            logFile = null;
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + OPTIONS;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    private void install(Path data) throws IOException, InterruptedException {
        // into a folder of its own, renamed when complete: a kill during the install leaves nothing half made
        Path partial = folder.resolve("data.installing");
        deleteTree(partial);
        List<String> command = new ArrayList<>(List.of(
                Binaries.find("mariadb-install-db"),
                "--no-defaults",
                "--datadir=" + partial,
                "--auth-root-authentication-method=socket",
                "--skip-test-db",
                "--innodb-log-file-size=32M"));
        command.addAll(asRoot());
        log.info("creating MariaDB's data folder {}", data);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logPath.toFile()));
        builder.environment().putAll(PRIVATE_FILES);
        Process p = builder.start();
        if (!p.waitFor(READY_WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("mariadb-install-db failed; see " + logPath);
        }
        Files.move(PrivateFolder.create(partial), data);
    }

    private List<String> serverCommand(Path data, Path initFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Binaries.find("mariadbd"),
                "--no-defaults",
                "--datadir=" + data,
                "--socket=" + socket(),
                "--pid-file=" + folder.resolve("mariadbd.pid"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--init-file=" + initFile,
                // a commit is on disk before it is acknowledged (InnoDB's default, stated: it is why this server is
                // here)
                "--innodb-flush-log-at-trx-commit=1",
                "--innodb-buffer-pool-size=" + bufferPool,
                "--innodb-log-file-size=32M",
                "--performance-schema=OFF",
                "--max-allowed-packet=64M",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_bin"));
        command.addAll(asRoot());
        return command;
    }

    /** The socket in the server's folder, unless that path is longer than a socket's name may be. */
    private Path socket() {
        Path inFolder = folder.toAbsolutePath().resolve("mariadbd.sock");
        return inFolder.toString().length() < 100 ? inFolder : Path.of("/tmp", "baton-mariadb-" + port + ".sock");
    }

    private static List<String> asRoot() {
        // mariadbd refuses to run as root unless told to
        return "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
    }

    private Path writeInitFile() throws IOException {
        Path file = folder.resolve("init.sql");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // one statement a line: the server reads an init file line by line
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "CREATE USER IF NOT EXISTS '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';",
                        "ALTER USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';",
                        "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'127.0.0.1';",
                        "CREATE DATABASE IF NOT EXISTS baton CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;",
                        ""));
        return file;
    }

    private void waitUntilReady() throws IOException, InterruptedException {
        Retry retry = Retry.every(Duration.ofMillis(50), READY_WITHIN);
        SQLException last = null;
        while (!retry.spent()) {
            if (process.done()) {
                throw new IOException("MariaDB exited with code " + process.exitCode() + "; see " + logPath
                        + " (is port " + port + " taken?)");
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl("baton"), USER, password)) {
                return;
            } catch (SQLException e) {
                last = e;
                retry.pause();
            }
        }
        throw new IOException("MariaDB did not answer on port " + port + " within " + READY_WITHIN.toSeconds()
                + "s; see " + logPath + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    private static String newPassword() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Whether MariaDB's server programs are on this machine. */
    public static boolean installed() {
        try {
            Binaries.find("mariadbd");
            Binaries.find("mariadb-install-db");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** MariaDB's programs: on the PATH, or where Debian puts them (sbin is not on every user's PATH). */
    static final class Binaries {
        private static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");

        static String find(String name) throws IOException {
            List<String> dirs = new ArrayList<>(
                    List.of(System.getenv().getOrDefault("PATH", "").split(":")));
            dirs.addAll(DIRS);
            for (String dir : dirs) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
            throw new IOException(name + " not found: install MariaDB's server (Debian/Ubuntu: apt-get install"
                    + " mariadb-server; ./baton does it for you)");
        }

        private Binaries() {}
    }
}
