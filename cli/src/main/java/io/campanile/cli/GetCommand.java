package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code get ID --out DIR}: every output of a job as {@code <role>.png} and {@code <role>.npy}, the job's files
 * (training: checkpoints, losses, the sampling GIF) under their names, and the job view as {@code job.json}.
 */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = {
            "Download a job's outputs as <role>.png and <role>.npy (float32, CHW), its files (train jobs) and its"
                    + " view as job.json into DIR. Roles become file names: 'noisy t=250' -> noisy_t-250.png."
        })
final class GetCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the job id")
    String id;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "where to write (default: here)")
    Path out;

    @Override
    public Integer call() throws IOException {
        Gateway gw = gateway();
        JsonNode job = gw.get(Jobs.path(id));
        if (!Jobs.isTerminal(job)) {
            err().println("job " + id + " is " + job.path("status").asText() + ": its outputs so far");
        }
        Files.createDirectories(out);
        Set<String> taken = new HashSet<>(Set.of("job.json"));
        for (JsonNode o : job.path("outputs")) {
            String name = SafeNames.unique(SafeNames.of(o.path("role").asText()), taken, ".png", ".npy");
            String url = o.path("url").asText();
            write(name + ".png", gw.download(url));
            write(name + ".npy", gw.download(url + (url.contains("?") ? "&" : "?") + "format=npy"));
        }
        for (JsonNode f : job.path("files")) {
            String name = SafeNames.unique(SafeNames.of(f.path("name").asText()), taken);
            write(name, gw.download(f.path("url").asText()));
        }
        Files.writeString(out.resolve("job.json"), job.toPrettyString() + "\n");
        out().println(out.resolve("job.json"));
        out().flush();
        return 0;
    }

    private void write(String name, byte[] bytes) throws IOException {
        Path file = out.resolve(name);
        Files.write(file, bytes);
        out().println(file);
    }
}
