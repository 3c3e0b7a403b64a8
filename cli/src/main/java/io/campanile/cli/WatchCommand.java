package io.campanile.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code watch ID}: a job's progress until it ends. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "Follow a job with a progress bar until it ends; exit 1 unless it succeeded.")
final class WatchCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the job id")
    String id;

    @Override
    public Integer call() {
        return follow(gateway(), id);
    }
}
