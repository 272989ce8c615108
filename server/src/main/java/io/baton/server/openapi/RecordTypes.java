package io.baton.server.openapi;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The records the resources take and answer, by the simple name swagger gives their schemas. */
final class RecordTypes {
    private final Map<String, Class<?>> byName = new HashMap<>();

    RecordTypes(Set<Class<?>> resources) {
        for (Class<?> resource : resources) {
            for (Method m : resource.getMethods()) {
                add(m.getGenericReturnType());
                for (Type t : m.getGenericParameterTypes()) {
                    add(t);
                }
                for (ApiResponse r : m.getAnnotationsByType(ApiResponse.class)) {
                    for (var content : r.content()) {
                        add(content.schema().implementation());
                    }
                }
            }
        }
    }

    /** Whether the schema {@code name}'s property {@code property} is a Java primitive, never null. */
    boolean primitive(String name, String property) {
        Class<?> type = byName.get(name);
        if (type == null) {
            return false;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(property)) {
                return c.getType().isPrimitive();
            }
        }
        return false;
    }

    private void add(Type type) {
        if (type instanceof ParameterizedType p) {
            for (Type argument : p.getActualTypeArguments()) {
                add(argument);
            }
        } else if (type instanceof Class<?> c && c.isRecord() && byName.putIfAbsent(c.getSimpleName(), c) == null) {
            for (RecordComponent component : c.getRecordComponents()) {
                add(component.getGenericType());
            }
        }
    }
}
