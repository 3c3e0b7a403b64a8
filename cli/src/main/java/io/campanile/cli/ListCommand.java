package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ls}: jobs, newest first. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
final class ListCommand extends GatewayCommand {
    @Option(names = "--status", paramLabel = "S", description = "QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED")
    String status;

    @Option(names = "--type", paramLabel = "T", description = "a job type (see 'types')")
    String type;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "at most N jobs (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "the gateway's JSON page instead of a table")
    boolean json;

    @Override
    public Integer call() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("status", status);
        q.put("type", type);
        q.put("limit", limit);
        JsonNode page = gateway().get(Gateway.query("/v1/jobs", q));
        if (json) {
            out().println(page.toPrettyString());
            return 0;
        }
        Table t = new Table("ID", "TYPE", "MODEL", "STATUS", "PROGRESS", "CREATED");
        for (JsonNode j : page.path("items")) {
            t.row(
                    j.path("id").asText(),
                    j.path("type").asText(),
                    j.path("model").asText(),
                    j.path("status").asText(),
                    progress(j),
                    j.path("created_at").asText());
        }
        t.print(out());
        return 0;
    }

    private static String progress(JsonNode j) {
        JsonNode p = j.path("progress");
        if (!p.isObject() || Jobs.isTerminal(j)) {
            return Jobs.isTerminal(j) ? j.path("outputs").size() + " outputs" : null;
        }
        return p.path("stage").asText() + " " + p.path("step").asInt() + "/"
                + p.path("total").asInt();
    }
}
