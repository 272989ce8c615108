package io.baton.server.registry;

import io.baton.server.core.BatonException;
import io.baton.server.db.ListCursors;
import java.util.List;

/** Where a page of datasets or models (ordered by project, then name) ended, as a list cursor. */
final class RegistryPages {
    private RegistryPages() {}

    /** The last project and name of the page before; both "" for the first page. */
    record After(String project, String name) {}

    static After after(String cursor) {
        List<String> fields = ListCursors.decode(cursor, BatonException::badRequest);
        if (fields == null) {
            return new After("", "");
        }
        if (fields.size() != 2) {
            throw BatonException.badRequest(
                    "'cursor' is not one this server gave out; pass the nextCursor of the" + " previous page as it is");
        }
        return new After(fields.get(0), fields.get(1));
    }

    static String cursor(String project, String name) {
        return ListCursors.encode(project, name);
    }
}
