package io.campanile.stage2.service;

import io.campanile.contracts.jobs.UpscaleRequest;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.image.ValueRange;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.diffusion.views.View;
import io.campanile.engine.LoopContext;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.Conditioning;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.engine.superres.SuperResolution;
import io.campanile.engine.superres.UpscaleSettings;
import io.campanile.platform.JobContext;
import io.campanile.platform.JobFailedException;
import io.campanile.platform.Operation;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code upscale}: IF stage II, 64 to 256 px, on every image of the job in one batch ({@link SuperResolution}).
 *
 * <p>Outputs: for a stage-I job handed on, {@code "<role> 256px"} next to each stage-I result {@code <role>} and the
 * strip {@code "sheet 256px"} (stage 1 already emitted {@code "sheet"}); for an uploaded image, {@code "original"} (the
 * 64 px input as the model sees it), {@code "upscaled"}, {@code "bilinear"} (the plain upscale, for comparison) and
 * {@code "sheet"}.
 */
public final class UpscaleOperation implements Operation<UpscaleRequest> {
    private static final Logger LOG = Logger.getLogger(UpscaleOperation.class);
    /** Contact-sheet cells at the full stage-II size. */
    private static final int CELL = 256;

    private final PackModels packs;

    public UpscaleOperation(PackModels packs) {
        this.packs = packs;
    }

    @Override
    public Class<UpscaleRequest> requestType() {
        return UpscaleRequest.class;
    }

    @Override
    public void run(UpscaleRequest req, JobContext job) {
        LoadedPack p = upscaler(packs.get(job.request().model()));
        OutputWriter out = new OutputWriter(job);
        // 1. The 64 px images and the settings.
        UpscaleInputs in = UpscaleInputs.read(job, p.manifest());
        UpscaleSettings s = StageTwoSettings.of(req, p, in.images().dim(2));
        // 2. Stage II on all of them at once.
        // This job's own UNet calls (the pack's counters also count the calls of jobs running beside it).
        long[] before = job.events().timing("unet");
        SuperResolution.Result r =
                SuperResolution.run(LoopContext.of(job), p, new Conditioning(job, p.manifest()), in.images(), s);
        long[] after = job.events().timing("unet");
        logStats(job, in, after[0] - before[0], (int) (after[1] - before[1]));
        // 3. The images and the strip.
        ValueRange range = p.range();
        List<ContactSheet.Row> rows = new ArrayList<>();
        for (int i = 0; i < in.roles().size(); i++) {
            Tensor original = in.images().item(i);
            Tensor bilinear = r.bilinear().item(i);
            Tensor upscaled = r.upscaled().item(i);
            String role = in.roles().get(i);
            if (in.handoff()) {
                out.image(role + " 256px", upscaled, range);
            } else {
                out.image("original", original, range);
                out.image("upscaled", upscaled, range);
                out.image("bilinear", bilinear, range);
            }
            List<ContactSheet.Cell> cells = new ArrayList<>(List.of(
                    new ContactSheet.Cell(original, range, "64 px"),
                    new ContactSheet.Cell(bilinear, range, "bilinear"),
                    new ContactSheet.Cell(upscaled, range, "stage II")));
            // An anagram is shown through each of its views at 256 px too.
            for (View view : StageTwoSettings.shownViews(req)) {
                Tensor seen = view.apply(upscaled);
                String name = "view=" + view.name();
                out.image(in.handoff() ? role + " " + name + " 256px" : "upscaled " + name, seen, range);
                cells.add(new ContactSheet.Cell(seen, range, name));
            }
            String title =
                    (in.handoff() ? role : s.prompt()) + " (" + s.sampler().wireName() + ", "
                            + (s.timesteps().length - (p.stepsToClean(s.sampler()) ? 0 : 1)) + " steps)";
            rows.add(new ContactSheet.Row(title, cells));
        }
        out.sheet(in.handoff() ? "sheet 256px" : "sheet", rows, CELL);
    }

    private static void logStats(JobContext job, UpscaleInputs in, long unetNanos, int calls) {
        LOG.infof(
                "job %s: stage II on %d image(s), %d UNet call(s), %.1f ms per step (with any merged jobs' rows); %s",
                job.request().jobId(),
                in.roles().size(),
                calls,
                calls == 0 ? 0.0 : unetNanos / 1e6 / calls,
                WorkerMemory.describe());
    }

    /** Only installed upscaler packs (IF stage II shaped: sample [B, 2C, S, S] and class_labels) run here. */
    private static LoadedPack upscaler(LoadedPack p) {
        if (!p.requireUnet().upscaler()) {
            throw new JobFailedException("model '" + p.pack().id() + "' is not a stage-II upscaler (its UNet takes"
                    + " no class_labels and no upscaled image)");
        }
        return p;
    }
}
