package io.campanile.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand of {@link JobCli} (at any depth): its streams and the gateway it talks to. */
abstract class GatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The root command, which holds the options every command shares (--gateway, --key). */
    JobCli root() {
        return (JobCli) spec.root().userObject();
    }

    Gateway gateway() {
        return root().gateway();
    }

    /** Follows a job to its end with a progress bar on stderr; prints its summary there and answers its exit code. */
    int follow(Gateway gw, String id) {
        var view = new JobWatch(gw, root().bar(err())).await(id);
        err().println(Jobs.summary(view));
        err().flush();
        return Jobs.exitCode(view);
    }
}
