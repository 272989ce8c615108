package io.baton.server.core;

/**
 * What a route or service adds to the audit entry of the request it serves (the audit filter opens a note per
 * request on the request's thread): the project when the request's body named it, the object, a short detail.
 */
public final class AuditNote {
    private static final ThreadLocal<AuditNote> CURRENT = new ThreadLocal<>();
    private static final int MAX = 300;

    private volatile String project;
    private volatile String objectType;
    private volatile String objectId;
    private volatile String user;
    private volatile String detail;

    /** Opens a note for the request served on this thread (the audit filter). */
    public static AuditNote open() {
        AuditNote note = new AuditNote();
        CURRENT.set(note);
        return note;
    }

    /** Closes this thread's note (the audit filter, once the request is answered). */
    public static void close() {
        CURRENT.remove();
    }

    /** The project the request changed something in (e.g. from its body); no-op outside an audited request. */
    public static void project(String project) {
        AuditNote note = CURRENT.get();
        if (note != null) {
            note.project = cut(project);
        }
    }

    /** The object the request changed, e.g. {@code ("model-version", "vision/resnet/3")}. */
    public static void object(String type, String id) {
        AuditNote note = CURRENT.get();
        if (note != null) {
            note.objectType = cut(type);
            note.objectId = cut(id);
        }
    }

    /** Who a request without a token acted as (the user name a login named); never a secret. */
    public static void user(String name) {
        AuditNote note = CURRENT.get();
        if (note != null) {
            note.user = cut(name);
        }
    }

    /** A short detail (e.g. "alias production -> 3"); never a secret, never a request body. */
    public static void detail(String detail) {
        AuditNote note = CURRENT.get();
        if (note != null) {
            note.detail = cut(detail);
        }
    }

    public String project() {
        return project;
    }

    public String objectType() {
        return objectType;
    }

    public String objectId() {
        return objectId;
    }

    public String user() {
        return user;
    }

    public String detail() {
        return detail;
    }

    private static String cut(String value) {
        return value == null || value.length() <= MAX ? value : value.substring(0, MAX);
    }
}
