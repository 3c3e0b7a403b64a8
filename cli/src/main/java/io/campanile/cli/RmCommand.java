package io.campanile.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rm ID}. */
@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = "Delete a finished job with its outputs, files and inputs (cancel a running job first).")
final class RmCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the job id")
    String id;

    @Override
    public Integer call() {
        gateway().delete(Jobs.path(id));
        out().println(id + " deleted");
        return 0;
    }
}
