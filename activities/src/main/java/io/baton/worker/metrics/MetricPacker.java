package io.baton.worker.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Packs the metric lines of a log batch per name in the form of {@code PackedPoints}, straight from the lines' text:
 * no number is parsed or formatted again.
 */
public final class MetricPacker {
    /** Per name, in the order names first came. */
    private final Map<String, StringBuilder> texts = new LinkedHashMap<>();

    private String[] lastNames = new String[4];
    private StringBuilder[] lastTexts = new StringBuilder[4];
    /** What follows a line's values in each of its points: {@code ,timeMs,x]}. */
    private final StringBuilder tail = new StringBuilder(64);

    private long time = Long.MIN_VALUE;
    private String timeText;

    /** The lines of one output repeat their names in the same order: a name's text is found by its place first. */
    public void add(MetricLines.Line line, long seq, long timeMillis) {
        if (timeMillis != time) {
            time = timeMillis;
            timeText = Long.toString(timeMillis);
        }
        tail.setLength(0);
        tail.append(',').append(timeText).append(',');
        line.appendX(tail);
        tail.append(']');
        for (int i = 0; i < line.size(); i++) {
            StringBuilder text = textOf(line.name(i), i);
            text.append(text.length() == 0 ? "[[" : ",[").append(seq).append(',');
            line.appendValue(i, text);
            text.append(tail);
        }
    }

    private StringBuilder textOf(String name, int place) {
        if (place < lastNames.length && lastNames[place] == name) {
            return lastTexts[place];
        }
        StringBuilder text = texts.get(name);
        if (text == null) {
            text = new StringBuilder(1024);
            texts.put(name, text);
        }
        if (place >= lastNames.length) {
            lastNames = Arrays.copyOf(lastNames, place * 2);
            lastTexts = Arrays.copyOf(lastTexts, place * 2);
        }
        lastNames[place] = name;
        lastTexts[place] = text;
        return text;
    }

    public boolean isEmpty() {
        return texts.isEmpty();
    }

    /** Per name, in the order names first came, the JSON text of its points. */
    public Map<String, String> packed() {
        Map<String, String> packed = new LinkedHashMap<>();
        texts.forEach((name, text) -> packed.put(name, text.append(']').toString()));
        return packed;
    }
}
