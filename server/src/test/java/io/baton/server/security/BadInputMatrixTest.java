package io.baton.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.testing.Api;
import io.baton.server.testing.InProcessServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad inputs across every route (read from Jersey's resource model, requests from {@link RouteMatrixTest}'s table),
 * sent by a global admin, who reaches deepest: each path and query parameter replaced by traversals, encodings,
 * separators, NUL, 100 KB, unicode and huge numbers; each JSON body malformed, of the wrong type, oversized, and each
 * of its fields replaced the same way; specs of bad YAML. Each answer is a 4xx in the JSON error shape (a query
 * filter of a read may also find nothing), never a 5xx or HTML, and no table gains or loses a row, no file appears.
 */
class BadInputMatrixTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    /** Values as they travel in a URL (already percent-encoded where a client must encode them). */
    static final Map<String, String> VALUES = values();

    /** Free text: any characters are a valid value (within a length), so only the length and type are bad inputs. */
    static final Set<String> FREE_TEXT =
            Set.of("description", "note", "password", "value", "reason", "text", "message", "os");

    /** Labels that are never part of a reference ({@code proj/name/N}), so that a number is a fine one (pool "3090"). */
    static final Set<String> NUMBERS_FINE = Set.of("POST /api/v1/tokens name", "PUT /api/v1/pools/{name} {name}");

    private static Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("../", "..%2F..%2Fetc%2Fpasswd");
        v.put("../ unencoded", "../../etc/passwd");
        v.put("%2e%2e%2f", "%2e%2e%2f%2e%2e%2fetc");
        v.put("%252e", "%252e%252e%252fetc");
        v.put("backslashes", "..%5C..%5Cetc");
        v.put(";", "a;b=c");
        v.put("#", "a%23b");
        v.put("NUL", "a%00b");
        v.put("100 KB", "x".repeat(100_000));
        v.put("unicode", "%E2%80%AE%C3%BC%F0%9F%98%80");
        v.put("invalid UTF-8", "%C0%AE%FF");
        v.put("huge number", "99999999999999999999");
        v.put("negative", "-1");
        return v;
    }

    private static String with(Map<String, Object> valid, String field, Object value) {
        Map<String, Object> bad = new LinkedHashMap<>(valid);
        bad.put(field, value);
        return Api.json(bad);
    }

    /** A value as JSON holds it (decoded). */
    private static Object decoded(String urlValue) {
        return java.net.URLDecoder.decode(urlValue.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private record Case(
            String route, String what, String method, String path, byte[] body, String type, boolean readFilter) {}

    @Test
    void badInputsGetA4xxInTheErrorShapeAndWriteNothing() throws Exception {
        long started = System.nanoTime();
        World world = new World(server);
        Jdbi db = server.database();
        Routes routes = Routes.of(server.resources());
        Map<String, RouteMatrixTest.Entry> byKey = new LinkedHashMap<>();
        RouteMatrixTest.table().forEach(e -> byKey.putIfAbsent(e.key(), e));
        Set<String> filesBefore = files(server.dataDir());

        List<String> failures = new ArrayList<>();
        int cases = 0;
        int routesCovered = 0;
        for (Routes.Route r : routes.all()) {
            RouteMatrixTest.Entry entry = byKey.get(r.key());
            if (entry == null) {
                failures.add(r + ": no row in RouteMatrixTest.table()");
                continue;
            }
            List<Case> batch = cases(r, entry, world);
            if (batch.isEmpty()) {
                continue;
            }
            routesCovered++;
            // the worker API with the worker's token: a global admin may act for any worker
            Api caller = entry.need() == RouteMatrixTest.Need.WORKER ? world.worker : world.admin;
            Map<String, Long> before = rowCounts(db);
            for (Case c : batch) {
                cases++;
                String problem = check(c, caller);
                if (System.getenv("MATRIX_DEBUG") != null && r.key().contains(System.getenv("MATRIX_DEBUG"))) {
                    System.out.println("DEBUG " + c.what() + " " + c.path() + " -> "
                            + rowCounts(db).get("dataset_versions"));
                }
                if (problem != null) {
                    failures.add(problem);
                }
            }
            Map<String, Long> after = rowCounts(db);
            if (!after.equals(before)) {
                failures.add(r + ": rows changed by refused requests: " + changed(before, after));
            }
        }
        Set<String> filesAfter = files(server.dataDir());
        filesAfter.removeAll(filesBefore);
        failures.forEach(f -> System.out.println("bad-input matrix: FAILS " + f));
        System.out.printf(
                "bad-input matrix: %d routes, %d bad-input cases, %d failing, %.1f s%n",
                routesCovered, cases, failures.size(), (System.nanoTime() - started) / 1e9);
        assertThat(filesAfter)
                .as("files the refused requests left in the data folder")
                .isEmpty();
        assertThat(failures)
                .as("bad inputs answered otherwise than a 4xx in the error shape")
                .isEmpty();
    }

    private static List<Case> cases(Routes.Route r, RouteMatrixTest.Entry e, World w) {
        List<Case> out = new ArrayList<>();
        String filled = w.fill(e.path());
        String bare = filled.contains("?") ? filled.substring(0, filled.indexOf('?')) : filled;
        Map<String, String> query = new LinkedHashMap<>();
        if (filled.contains("?")) {
            for (String kv : filled.substring(filled.indexOf('?') + 1).split("&")) {
                int eq = kv.indexOf('=');
                query.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        byte[] body = body(e, w);
        String type = e.type() == null ? "application/json" : e.type();
        String[] template = r.template().split("/");
        String[] segments = bare.split("/");
        // path parameters, one at a time
        for (int i = 0; i < template.length; i++) {
            if (!template[i].startsWith("{")) {
                continue;
            }
            boolean rest = template[i].contains(":");
            for (Map.Entry<String, String> v : VALUES.entrySet()) {
                if (NUMBERS_FINE.contains(r + " " + template[i])
                        && Set.of("huge number", "negative").contains(v.getKey())) {
                    continue;
                }
                String[] s = segments.clone();
                s[i] = v.getValue();
                String path = String.join("/", rest ? java.util.Arrays.copyOf(s, i + 1) : s);
                out.add(new Case(
                        r.toString(),
                        template[i] + " = " + v.getKey(),
                        r.method(),
                        path + query(query),
                        body,
                        type,
                        false));
            }
        }
        // query parameters, one at a time
        for (String q : r.queryParams()) {
            for (Map.Entry<String, String> v : VALUES.entrySet()) {
                if (!r.method().equals("GET")
                        && FREE_TEXT.contains(q)
                        && !v.getKey().equals("100 KB")) {
                    continue; // free text a write may take as it is (and then writes): only its size is bounded
                }
                Map<String, String> bad = new LinkedHashMap<>(query);
                bad.put(q, v.getValue());
                boolean filter = r.method().equals("GET");
                out.add(new Case(
                        r.toString(), "?" + q + " = " + v.getKey(), r.method(), bare + query(bad), body, type, filter));
            }
        }
        String path = filled;
        // bodies
        // artifacts (blobs) have a limit of their own, far above a JSON body's
        if (r.hasBody() && e.body() != null && !r.template().equals("/api/v1/blobs")) {
            byte[] huge = new byte[(1 << 20) + 100];
            java.util.Arrays.fill(huge, (byte) ' ');
            huge[0] = '{';
            huge[huge.length - 1] = '}';
            out.add(new Case(r.toString(), "body over 1 MiB", r.method(), path, huge, type, false));
        }
        if (r.hasBody() && e.body() instanceof Map<?, ?> fields) {
            Map<String, Object> valid = filledMap(fields, w);
            out.add(new Case(r.toString(), "malformed JSON", r.method(), path, bytes("{\"name\": "), type, false));
            out.add(new Case(r.toString(), "a JSON array", r.method(), path, bytes("[1, 2]"), type, false));
            out.add(new Case(r.toString(), "JSON's null", r.method(), path, bytes("null"), type, false));
            if (!r.consumes().contains("*/*")) {
                out.add(new Case(r.toString(), "Content-Type text/plain", r.method(), path, body, "text/plain", false));
                out.add(new Case(r.toString(), "Content-Type YAML", r.method(), path, body, "application/yaml", false));
            }
            for (String field : valid.keySet()) {
                if (field.equals("spec") && r.template().endsWith("/validate")) {
                    continue; // answers 200 {"valid": false, "details"} by design
                }
                if (!FREE_TEXT.contains(field) && !NUMBERS_FINE.contains(r + " " + field)) {
                    String exponent = Api.json(valid)
                            .replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "\"" + field + "\":1e999999999");
                    out.add(new Case(
                            r.toString(), field + " = 1e999999999", r.method(), path, bytes(exponent), type, false));
                    out.add(new Case(
                            r.toString(),
                            field + " = 1e400",
                            r.method(),
                            path,
                            bytes(with(valid, field, new BigDecimal("1e400"))),
                            type,
                            false));
                }
                for (Map.Entry<String, String> v : VALUES.entrySet()) {
                    boolean text = FREE_TEXT.contains(field) && !v.getKey().equals("100 KB");
                    boolean longText = field.equals("text"); // a log batch's text is long by nature
                    boolean signed = field.equals("exitCode") && v.getKey().equals("negative");
                    boolean number = NUMBERS_FINE.contains(r + " " + field)
                            && Set.of("huge number", "negative").contains(v.getKey());
                    if (!text && !longText && !signed && !number) {
                        Object value = decoded(v.getValue());
                        out.add(new Case(
                                r.toString(),
                                field + " = " + v.getKey(),
                                r.method(),
                                path,
                                bytes(with(valid, field, value)),
                                type,
                                false));
                    }
                }
            }
            if (fields.containsKey("spec") && !r.template().endsWith("/validate")) {
                for (Map.Entry<String, String> yaml : badYaml().entrySet()) {
                    out.add(new Case(
                            r.toString(),
                            "spec: " + yaml.getKey(),
                            r.method(),
                            path,
                            bytes(with(valid, "spec", yaml.getValue())),
                            type,
                            false));
                }
            }
        }
        return out;
    }

    static Map<String, String> badYaml() {
        Map<String, String> y = new LinkedHashMap<>();
        y.put("malformed YAML", "name: x\nsteps: [\n  - {name: a\n");
        y.put("a tab", "name: x\nsteps:\n\t- name: a\n");
        y.put("not a mapping", "- just\n- a list\n");
        y.put(
                "billion laughs",
                "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
                        + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                        + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                        + "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
                        + "name: bomb\nsteps:\n  - name: a\n    command: *g\n");
        y.put(
                "a huge number",
                "name: x\nsteps:\n  - name: a\n    command: [\"true\"]\n    retries: 99999999999999999999\n");
        y.put(
                "a custom tag",
                "name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\nsteps: []\n");
        y.put("NUL", "name: \"a\\0b\"\nsteps:\n  - name: a\n    command: [\"true\"]\n");
        return y;
    }

    private static Map<String, Object> filledMap(Map<?, ?> fields, World w) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k.toString(), v instanceof String s ? w.fill(s) : v));
        return out;
    }

    private static byte[] body(RouteMatrixTest.Entry e, World w) {
        if (e.body() == null) {
            return null;
        }
        return e.body() instanceof byte[] b ? b : bytes(w.fill(Api.json(e.body())));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String query(Map<String, String> q) {
        return q.isEmpty()
                ? ""
                : "?"
                        + q.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining("&"));
    }

    /** Null when the answer is right for a bad input. */
    private static String check(Case c, Api caller) {
        Api.Answer a;
        try {
            a = send(c, caller);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return c.route() + " with " + c.what() + ": the request failed: " + e;
        }
        int s = a.status();
        if (c.method().equals("HEAD")) { // a HEAD answer has no body, so no error shape: its status must say it
            return s >= 400 && s < 500 ? null : c.route() + " with " + c.what() + ": " + s;
        }
        String ct = a.header("Content-Type");
        if (s >= 500) {
            return c.route() + " with " + c.what() + ": " + s + " " + RouteMatrixTest.abbreviate(a.text());
        }
        if (ct != null && ct.contains("html")) {
            return c.route() + " with " + c.what() + ": HTML (" + s + ")";
        }
        if (s < 400) {
            return c.readFilter()
                    ? null
                    : c.route() + " with " + c.what() + ": accepted (" + s + ") "
                            + RouteMatrixTest.abbreviate(a.text());
        }
        boolean mlflow = c.path().contains("/api/2.0/");
        boolean shape = a.json() != null
                && a.json().isObject()
                && a.json().hasNonNull("message")
                && (a.json().hasNonNull("error") || (mlflow && a.json().hasNonNull("error_code")));
        return shape
                ? null
                : c.route() + " with " + c.what() + ": " + s + " not in the JSON error shape: "
                        + RouteMatrixTest.abbreviate(a.text());
    }

    private static Api.Answer send(Case c, Api admin) {
        UncheckedIOException last = null;
        // a refused upload may close the connection before its answer is read (see ApiErrorsTest): a bounded retry
        for (int attempt = 0; attempt < 3; attempt++) {
            Api client = admin.withToken(admin.token());
            try {
                if (c.body() == null) {
                    return client.send(c.method(), c.path(), null);
                }
                return client.sendRaw(c.method(), c.path(), c.type(), c.body());
            } catch (UncheckedIOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Rows of every table of the server's database but the audit log's. */
    static Map<String, Long> rowCounts(Jdbi db) {
        return db.withHandle(h -> {
            List<String> tables = h.createQuery("select table_name from information_schema.tables"
                            + " where table_schema = 'public' and table_type in ('TABLE', 'BASE TABLE')")
                    .mapTo(String.class)
                    .list();
            Map<String, Long> counts = new TreeMap<>();
            for (String t : tables) {
                if (t.startsWith("audit")) {
                    continue; // the audit log records every change tried, refused ones too, with their outcome
                }
                if (t.equals("endpoint_metrics")) {
                    continue; // the /serve proxy counts every request, refused ones too, and writes its counts
                }
                counts.put(
                        t,
                        h.createQuery("select count(*) from \"" + t + "\"")
                                .mapTo(Long.class)
                                .one());
            }
            return counts;
        });
    }

    private static String changed(Map<String, Long> before, Map<String, Long> after) {
        Set<String> tables = new TreeSet<>(before.keySet());
        tables.addAll(after.keySet());
        return tables.stream()
                .filter(t -> !java.util.Objects.equals(before.get(t), after.get(t)))
                .map(t -> t + " " + before.get(t) + " -> " + after.get(t))
                .collect(Collectors.joining(", "));
    }

    static Set<String> files(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
