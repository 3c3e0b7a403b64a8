package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code models}: the model packs. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "List the model packs and whether each is installed.")
final class ModelsCommand extends GatewayCommand {
    @Option(names = "--json", description = "the gateway's JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        JsonNode models = gateway().get("/v1/models");
        if (json) {
            out().println(models.toPrettyString());
            return 0;
        }
        Table t = new Table("ID", "KIND", "INSTALLED", "CONDITIONING", "SIZE", "DESCRIPTION");
        for (JsonNode m : models) {
            String size = m.hasNonNull("image_size")
                    ? m.get("image_size").asInt() + "px " + m.path("channels").asInt(0) + "ch"
                    : null;
            t.row(
                    m.path("id").asText(),
                    m.path("kind").asText() + (m.path("upscaler").asBoolean() ? " (upscaler)" : ""),
                    m.path("installed").asBoolean() ? "yes" : "no",
                    m.hasNonNull("conditioning") ? m.get("conditioning").asText() : null,
                    size,
                    m.hasNonNull("description") ? m.get("description").asText() : null);
        }
        t.print(out());
        return 0;
    }
}
