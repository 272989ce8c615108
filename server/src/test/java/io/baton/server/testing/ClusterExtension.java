package io.baton.server.testing;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An integration test class's set-up: the suite's {@link TestCluster}, the workers its {@link Worker} annotations
 * name, and its static {@code TestCluster} and {@code Api api} (the admin's client) fields set.
 */
public final class ClusterExtension implements BeforeAllCallback {
    /** A worker process the class needs (started once per class, as each class did in its own set-up). */
    @Retention(RUNTIME)
    @Target(TYPE)
    @Repeatable(Workers.class)
    public @interface Worker {
        String name();

        String[] pools();

        /** Extra environment, {@code NAME=value} each. */
        String[] env() default {};
    }

    @Retention(RUNTIME)
    @Target(TYPE)
    public @interface Workers {
        Worker[] value();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestCluster cluster = TestCluster.get();
        Class<?> test = context.getRequiredTestClass();
        for (Worker worker : test.getAnnotationsByType(Worker.class)) {
            cluster.startWorker(worker.name(), List.of(worker.pools()), environment(worker.env()));
        }
        for (Field field : test.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                continue;
            }
            if (field.getType() == TestCluster.class) {
                set(field, cluster);
            } else if (field.getType() == Api.class && field.getName().equals("api")) {
                set(field, cluster.admin());
            }
        }
    }

    private static Map<String, String> environment(String[] pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a worker's env entry is NAME=value, not '" + pair + "'");
            }
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    private static void set(Field field, Object value) throws IllegalAccessException {
        field.setAccessible(true);
        field.set(null, value);
    }
}
