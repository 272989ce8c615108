package io.baton.workflows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.List;

/**
 * How Baton's records cross Temporal: Temporal's JSON, tolerant of fields it does not know, so that servers and
 * workers of different versions keep working together during a rolling upgrade (a record gains a field; an older
 * worker ignores it instead of failing every step).
 */
public final class Payloads {
    private static final DataConverter CONVERTER = build();

    private Payloads() {}

    public static DataConverter converter() {
        return CONVERTER;
    }

    /** The same, every payload sealed (and checked when read) by {@code codec}: what Baton's processes use. */
    public static DataConverter sealed(SealedPayloads codec) {
        return new CodecDataConverter(CONVERTER, List.of(codec));
    }

    private static DataConverter build() {
        ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        return DefaultDataConverter.newDefaultInstance()
                .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(mapper));
    }
}
