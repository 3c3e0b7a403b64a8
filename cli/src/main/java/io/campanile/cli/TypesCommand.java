package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code types [TYPE]}: the job types, or one type's fields, from the gateway's one job schema. */
@Command(
        name = "types",
        mixinStandardHelpOptions = true,
        description = "List the job types; with a TYPE, its fields (kind, default, bounds, help) for 'submit'.")
final class TypesCommand extends GatewayCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE", description = "one job type")
    String type;

    @Option(names = "--json", description = "the gateway's JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        JsonNode types = gateway().get(type == null ? "/v1/job-types" : "/v1/job-types/" + type);
        if (json) {
            out().println(types.toPrettyString());
            return 0;
        }
        if (type == null) {
            Table t = new Table("TYPE", "SUMMARY");
            for (JsonNode jt : types) {
                t.row(jt.path("type").asText(), jt.path("summary").asText());
            }
            t.print(out());
            return 0;
        }
        out().println(types.path("type").asText() + ": " + types.path("summary").asText());
        out().println("every job also takes model=ID and seed=N");
        Table t = new Table("FIELD", "KIND", "DEFAULT", "RANGE", "HELP");
        for (JsonNode f : types.path("fields")) {
            t.row(
                    f.path("name").asText(),
                    f.path("kind").asText(),
                    f.path("required").asBoolean()
                            ? "(required)"
                            : f.hasNonNull("default") ? f.get("default").toString() : null,
                    range(f),
                    f.path("description").asText(""));
        }
        t.print(out());
        return 0;
    }

    private static String range(JsonNode f) {
        List<String> parts = new ArrayList<>();
        if (f.hasNonNull("minimum") || f.hasNonNull("maximum")) {
            parts.add("[" + number(f.get("minimum")) + ", " + number(f.get("maximum")) + "]");
        }
        if (f.path("odd").asBoolean()) {
            parts.add("odd");
        }
        if (f.path("choices").size() > 0) {
            List<String> choices = new ArrayList<>();
            f.get("choices").forEach(c -> choices.add(c.asText()));
            parts.add(String.join("|", choices));
        }
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    private static String number(JsonNode n) {
        if (n == null || n.isNull()) {
            return "";
        }
        double v = n.asDouble();
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
