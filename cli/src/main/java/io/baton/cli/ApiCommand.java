package io.baton.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that talks to the server: the common options, the config, the client and the two ways of printing. */
public abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    protected Common common;

    private Config config;
    private ApiClient api;

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    protected abstract int run() throws Exception;

    protected Context context() {
        return Context.current();
    }

    protected PrintStream out() {
        return context().out();
    }

    protected PrintStream err() {
        return context().err();
    }

    protected Config config() {
        if (config == null) {
            config = Config.load(context().env());
        }
        return config;
    }

    protected ApiClient api() {
        if (api == null) {
            api = new ApiClient(config().server(common.server()), config().token(common.token()));
        }
        return api;
    }

    protected boolean json() {
        return common.json();
    }

    /** The project option, else BATON_PROJECT or the config's, else null (the server's default). */
    protected String project(String option) {
        return config().project(option);
    }

    protected void printJson(JsonNode node) {
        try {
            out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With --json the node (a page's items), else what {@code human} prints. */
    protected int print(JsonNode node, Runnable human) {
        if (json()) {
            printJson(node.has("items") && node.get("items").isArray() ? node.get("items") : node);
        } else {
            human.run();
        }
        return 0;
    }

    /** A list for people: one row per item, the given fields as columns (times ending in "At" shown as "5m ago"). */
    protected int list(JsonNode page, String... fields) {
        return print(page, () -> {
            Tables t = new Tables(
                    Arrays.stream(fields).map(f -> f.toUpperCase(Locale.ROOT)).toArray(String[]::new));
            Instant now = Instant.now();
            for (JsonNode item : page.path("items")) {
                Object[] row = new Object[fields.length];
                for (int i = 0; i < fields.length; i++) {
                    String v = Tables.text(item, fields[i]);
                    row[i] = fields[i].endsWith("At") ? Tables.ago(v, now) : v;
                }
                t.row(row);
            }
            out().print(t.render());
        });
    }

    /** One object for people: its scalar fields as "name: value" lines, the rest as JSON. */
    protected int show(JsonNode node) {
        return print(
                node,
                () -> node.fields()
                        .forEachRemaining(f -> out().println(f.getKey() + ": " + Tables.text(node, f.getKey()))));
    }
}
