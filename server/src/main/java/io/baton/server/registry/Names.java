package io.baton.server.registry;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

import io.baton.pipeline.RegisterSpec;
import io.baton.server.core.BatonException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks names, aliases and tags of the registry; each problem is a 400 that says what is allowed. */
public final class Names {
    static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** {@code @latest} always means the newest version; it cannot be set. */
    static final String LATEST = "latest";

    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.:/-]{1,250}");
    private static final int MAX_TAGS = 100;
    private static final int MAX_TAG_VALUE = 5000;
    static final int MAX_DESCRIPTION = 10_000;

    private Names() {}

    /** A model or dataset name: no path or URL characters, so it is safe in URLs and {@code model://} references. */
    static String name(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw BatonException.badRequest("'name' is required: the " + what + "'s name");
        }
        if (!RegisterSpec.NAME.matcher(name).matches()) {
            throw BatonException.badRequest(
                    "'" + abbreviate(name, API) + "' is not a valid " + what + " name: " + RegisterSpec.NAME_RULE);
        }
        if (!Character.isLetter(name.charAt(0))) {
            throw BatonException.badRequest("a new " + what + "'s name starts with a letter, not '"
                    + abbreviate(name, API) + "': in a reference such as name/3, a number is always a version");
        }
        return name;
    }

    static String alias(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            throw BatonException.badRequest(
                    "'" + abbreviate(alias, API) + "' is not a valid alias: letters, digits, '_', '.'"
                            + " and '-', starting with a letter or digit, at most 63 characters");
        }
        if (!Character.isLetter(alias.charAt(0))) {
            throw BatonException.badRequest("an alias starts with a letter, not '" + abbreviate(alias, API)
                    + "' (name@3 would read as a version)");
        }
        if (alias.equals(LATEST)) {
            throw BatonException.badRequest("'latest' is reserved: @latest always means the newest version");
        }
        return alias;
    }

    /** A model's protected aliases: valid alias names, at most 50 (an empty list protects none). */
    static List<String> protectedAliases(List<String> aliases) {
        if (aliases.size() > 50) {
            throw BatonException.badRequest("at most 50 'protectedAliases' are allowed, not " + aliases.size());
        }
        for (String alias : aliases) {
            if (alias == null || !ALIAS.matcher(alias).matches()) {
                throw BatonException.badRequest("'protectedAliases' holds '" + abbreviate(String.valueOf(alias), API)
                        + "', which is not a valid alias");
            }
        }
        return aliases.stream().distinct().sorted().toList();
    }

    static Map<String, String> tags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw BatonException.badRequest("at most " + MAX_TAGS + " tags are allowed, not " + tags.size());
        }
        Map<String, String> checked = new LinkedHashMap<>();
        tags.forEach((key, value) -> {
            if (key == null || !TAG_KEY.matcher(key).matches()) {
                throw BatonException.badRequest("tag key '" + abbreviate(String.valueOf(key), API)
                        + "' is not valid: 1-250" + " letters, digits and _ . : / -");
            }
            if (value == null || value.length() > MAX_TAG_VALUE) {
                throw BatonException.badRequest(
                        "tag '" + key + "' needs a string value of at most " + MAX_TAG_VALUE + " characters");
            }
            checked.put(key, value);
        });
        return checked;
    }

    static String description(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw BatonException.badRequest("'description' must be at most " + MAX_DESCRIPTION + " characters");
        }
        return description;
    }
}
