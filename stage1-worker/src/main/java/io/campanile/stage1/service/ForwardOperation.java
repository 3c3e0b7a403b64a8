package io.campanile.stage1.service;

import io.campanile.contracts.jobs.ForwardRequest;
import io.campanile.diffusion.image.ContactSheet;
import io.campanile.diffusion.tensor.Tensor;
import io.campanile.engine.output.OutputWriter;
import io.campanile.engine.packs.LoadedPack;
import io.campanile.engine.packs.PackModels;
import io.campanile.platform.JobContext;
import java.util.ArrayList;
import java.util.List;

/** {@code forward}: the original and one noisy image per t. */
public final class ForwardOperation extends PackOperation<ForwardRequest> {
    public ForwardOperation(PackModels packs) {
        super(ForwardRequest.class, packs, null);
    }

    @Override
    public void run(ForwardRequest req, JobContext job) {
        LoadedPack p = pack(job);
        OutputWriter out = new OutputWriter(job);
        List<Integer> ts = req.t();
        // 1. The model-sized original.
        Tensor x0 = Steps.original(job, p, req.image());
        out.image("original", x0, p.range());
        List<ContactSheet.Cell> cells = new ArrayList<>(List.of(new ContactSheet.Cell(x0, p.range(), "original")));
        // 2. One noisy image per t.
        for (int i = 0; i < ts.size(); i++) {
            job.checkCancelled();
            int t = ts.get(i);
            Tensor xt = Steps.noisy(job, p, x0, t);
            out.image("noisy t=" + t, xt, p.range());
            cells.add(new ContactSheet.Cell(xt, p.range(), "t=" + t));
            job.events().progress("forward", i + 1, ts.size());
        }
        // 3. The figure strip.
        Steps.sheet(out, List.of(new ContactSheet.Row("forward", cells)));
    }
}
