package io.baton.server.runs;

import io.baton.server.core.BatonException;
import java.util.List;

/**
 * The {@code param=}, {@code metric=} and {@code sort=} of a runs list request, checked. A filter matches only the
 * runs that have that parameter or metric; sorted by a metric, the list holds only the runs that have it.
 */
public record RunSearch(List<ValueFilter> params, List<ValueFilter> metrics, RunSort sort) {
    /** Each filter is a join; MariaDB joins at most 61 tables. */
    public static final int MAX_FILTERS = 20;

    public static RunSearch parse(List<String> params, List<String> metrics, String sort) {
        if (params.size() + metrics.size() > MAX_FILTERS) {
            throw BatonException.badRequest("at most " + MAX_FILTERS + " 'param' and 'metric' filters together, not "
                    + (params.size() + metrics.size()));
        }
        return new RunSearch(
                params.stream().map(RunSearch::param).toList(),
                metrics.stream().map(RunSearch::metric).toList(),
                RunSort.parse(sort));
    }

    private static ValueFilter param(String given) {
        ValueFilter f = ValueFilter.parse("param", given);
        if (f.number() == null && f.op().orders()) {
            throw ValueFilter.bad(
                    "param",
                    given,
                    "compares '" + f.text() + "', which is not a number: lt, le, gt and ge"
                            + " compare numbers; a string or boolean parameter is matched with eq or ne");
        }
        if (f.number() == null && f.text().length() > RunParameters.MAX_TEXT) {
            throw ValueFilter.bad(
                    "param",
                    given,
                    "has a value longer than " + RunParameters.MAX_TEXT
                            + " characters; parameter values that long cannot be searched");
        }
        return f;
    }

    private static ValueFilter metric(String given) {
        ValueFilter f = ValueFilter.parse("metric", given);
        if (f.number() == null) {
            throw ValueFilter.bad(
                    "metric",
                    given,
                    "compares '" + f.text() + "', which is not a number; a metric's value"
                            + " is a number, e.g. metric=accuracy:gt:0.9");
        }
        return f;
    }
}
