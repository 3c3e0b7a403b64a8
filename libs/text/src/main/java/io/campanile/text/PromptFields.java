package io.campanile.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a job's prompts are in its parameters: {@code prompt}, {@code negative_prompt}, every element of
 * {@code prompts}, {@code prompt_low} and {@code prompt_high}, whichever are present as text.
 */
public final class PromptFields {
    private static final String[] SINGLE = {"prompt", "negative_prompt", "prompt_low", "prompt_high"};
    private static final String LIST = "prompts";

    private PromptFields() {}

    /** The prompts by field path ({@code prompt}, {@code prompts[1]}, ...), in a stable order. */
    public static Map<String, String> of(JsonNode params) {
        Map<String, String> out = new LinkedHashMap<>();
        if (params == null || !params.isObject()) {
            return out;
        }
        for (String name : SINGLE) {
            JsonNode v = params.get(name);
            if (v != null && v.isTextual()) {
                out.put(name, v.asText());
            }
        }
        JsonNode list = params.get(LIST);
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).isTextual()) {
                    out.put(LIST + "[" + i + "]", list.get(i).asText());
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The distinct prompt strings the text encoder embeds for a job, exactly as they appear in the parameters, and
     * always {@code ""} (the unconditional prompt of classifier-free guidance).
     */
    public static Set<String> toEncode(JsonNode params) {
        Set<String> out = new LinkedHashSet<>();
        out.add("");
        out.addAll(of(params).values());
        return Collections.unmodifiableSet(out);
    }
}
