package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cancel ID}. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel a job: a queued job never runs, a running one stops at its next step.")
final class CancelCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the job id")
    String id;

    @Override
    public Integer call() {
        JsonNode job = gateway().post(Jobs.path(id, "cancel"), null);
        out().println(job.path("id").asText() + " " + job.path("status").asText()
                + (job.path("cancel_requested").asBoolean() && !Jobs.isTerminal(job) ? " (cancel requested)" : ""));
        return 0;
    }
}
