package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** What the CLI reads from a job view ({@code GET /v1/jobs/{id}}). */
final class Jobs {
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private Jobs() {}

    static boolean isTerminal(JsonNode view) {
        return TERMINAL.contains(view.path("status").asText());
    }

    /** The path of a job's resource. */
    static String path(String id, String... rest) {
        return "/v1/jobs/" + id + (rest.length == 0 ? "" : "/" + String.join("/", rest));
    }

    /** The exit code of a finished job: 0 when it succeeded, else {@link CliException#JOB_FAILED}. */
    static int exitCode(JsonNode view) {
        return "SUCCEEDED".equals(view.path("status").asText()) ? 0 : CliException.JOB_FAILED;
    }

    /** One line on a finished job: its status, outputs and warnings, or its error. */
    static String summary(JsonNode view) {
        String id = view.path("id").asText();
        String status = view.path("status").asText();
        StringBuilder s = new StringBuilder("job ").append(id).append(' ').append(status);
        if ("SUCCEEDED".equals(status)) {
            int n = view.path("outputs").size();
            s.append(": ").append(n).append(n == 1 ? " output" : " outputs");
            int files = view.path("files").size();
            if (files > 0) {
                s.append(", ").append(files).append(files == 1 ? " file" : " files");
            }
            s.append(" (./campanile job get ").append(id).append(" --out DIR)");
        } else if (view.hasNonNull("error")) {
            s.append(": ").append(view.get("error").asText());
        }
        for (JsonNode w : view.path("warnings")) {
            s.append("\n  warning: ").append(w.asText());
        }
        return s.toString();
    }
}
