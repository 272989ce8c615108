package io.baton.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** The custom search attributes Baton sets on its workflows, so that runs can be found in the Temporal UI. */
public final class SearchAttributes {
    public static final SearchAttributeKey<String> PROJECT = SearchAttributeKey.forKeyword("BatonProject");
    public static final SearchAttributeKey<String> PIPELINE = SearchAttributeKey.forKeyword("BatonPipeline");
    public static final List<SearchAttributeKey<String>> ALL = List.of(PROJECT, PIPELINE);

    private SearchAttributes() {}
}
