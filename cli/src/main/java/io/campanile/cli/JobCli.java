package io.campanile.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ./campanile job}: jobs from the terminal, against the local stack or any gateway ({@code --gateway URL} or
 * {@code CAMPANILE_GATEWAY}), over the public HTTP API only, with an API key ({@link ApiKeySource}); {@code keys}
 * manages keys with an admin key. Exit codes: 0 done, 1 the job failed or was cancelled (submit --wait, watch), 2 a
 * wrong command or a request the gateway refused (the problem is printed), 3 the gateway could not be reached or
 * failed (or another error, such as a file that could not be written), 4 the key was refused (401) or may not do
 * this (403).
 */
@Command(
        name = "campanile job",
        mixinStandardHelpOptions = true,
        version = "campanile job CLI",
        description = "Submit, follow and fetch jobs of a campanile gateway.",
        subcommands = {
            SubmitCommand.class,
            WatchCommand.class,
            GetCommand.class,
            ListCommand.class,
            CancelCommand.class,
            RmCommand.class,
            ModelsCommand.class,
            TypesCommand.class,
            KeysCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the job failed or was cancelled (submit --wait, watch)",
            "2:wrong command, or the gateway refused the request (e.g. a bad field)",
            "3:the gateway could not be reached or failed, or another error",
            "4:no API key, or the gateway refused it (401), or the key may not do this (403)"
        })
public final class JobCli implements Runnable {
    @Option(
            names = "--gateway",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            defaultValue = "${env:CAMPANILE_GATEWAY:-http://localhost:8080}",
            description = "the gateway (default: $CAMPANILE_GATEWAY or ${DEFAULT-VALUE})")
    String gateway;

    @Option(
            names = "--key",
            scope = ScopeType.INHERIT,
            paramLabel = "KEY",
            description = "the API key (default: $CAMPANILE_API_KEY, else the file .campanile/api-key that"
                    + " ./campanile up writes)")
    String key;

    private boolean tty;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.console() != null));
    }

    /**
     * Runs the CLI with the given streams (tests run it in process).
     *
     * @param tty whether stderr is a terminal (the progress bar redraws in place)
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean tty) {
        JobCli root = new JobCli();
        root.tty = tty;
        CommandLine cl = new CommandLine(root);
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        cl.setOut(o);
        cl.setErr(e);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            CliException c = ex instanceof CliException known
                    ? known
                    : new CliException(CliException.UNAVAILABLE, ex.toString(), ex); // e.g. an output not written
            cmd.getErr().println("error: " + c.getMessage());
            cmd.getErr().flush();
            return c.exitCode();
        });
        try {
            return cl.execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /** Without a subcommand: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw CliException.usage("a subcommand is needed");
    }

    Gateway gateway() {
        return new Gateway(gateway, ApiKeySource.resolve(key));
    }

    ProgressBar bar(PrintWriter err) {
        return new ProgressBar(err, tty);
    }
}
