package io.campanile.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code submit TYPE key=value...}: a job, its fields typed from {@code GET /v1/job-types/{type}}. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Submit a job and print its id. Fields as key=value, typed by the job type's schema (see 'types TYPE'):",
            "numbers, booleans, lists as a,b or JSON ([250,500]) or the key repeated, prompts as text, images as"
                    + " file names; model=ID and seed=N as for every job."
        })
final class SubmitCommand extends GatewayCommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "the job type (see 'types')")
    String type;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "the job's fields")
    List<String> fields = new ArrayList<>();

    @Option(names = "--image", paramLabel = "FILE", description = "a PNG or JPEG for the 'image' field")
    Path image;

    @Option(names = "--mask", paramLabel = "FILE", description = "a PNG for the 'mask' field (white = new content)")
    Path mask;

    @Option(
            names = "--wait",
            description = "follow the job with a progress bar until it ends (exit 1 unless it succeeds)")
    boolean wait;

    @Override
    public Integer call() {
        Gateway gw = gateway();
        JsonNode schema = gw.get("/v1/job-types/" + type);
        RequestBuilder request = new RequestBuilder(schema);
        if (image != null) {
            request.set("image", image.toString());
        }
        if (mask != null) {
            request.set("mask", mask.toString());
        }
        fields.forEach(request::add);
        ObjectNode body = request.request();
        JsonNode job = gw.post("/v1/jobs", body);
        String id = job.path("id").asText();
        out().println(id);
        out().flush();
        return wait ? follow(gw, id) : 0;
    }
}
