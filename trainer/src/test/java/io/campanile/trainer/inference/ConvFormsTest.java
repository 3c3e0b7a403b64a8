package io.campanile.trainer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.UNetSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exporter writes the unflatten as a Gemm and the output layer as taps ({@link ConvForms}); that they compute what
 * the training step does is {@link PackExporterParityTest}'s check.
 */
class ConvFormsTest {
    @Test
    void theUnflattenIsAGemmAndTheOutputLayerTapsAndShifts() throws Exception {
        UNetSpec spec = UNetSpec.of(Architecture.CLASS_CONDITIONED, 8);
        try (UNetModel model = UNetModel.create(spec, 3, 1e-2, 1)) {
            OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(PackExporter.onnxBytes(model, 300))
                    .getGraph();
            List<OnnxMl.NodeProto> transposes = g.getNodeList().stream()
                    .filter(n -> n.getOpType().equals("ConvTranspose"))
                    .toList();
            assertEquals(4, transposes.size(), "the two up-samplings, each split over its skip; no unflatten");
            assertTrue(g.getNodeList().stream()
                    .anyMatch(n -> n.getOpType().equals("Gemm") && n.getInput(1).equals("u0_W_gemm")));
            OnnxMl.NodeProto last = g.getNode(g.getNodeCount() - 1);
            assertEquals("Conv", last.getOpType());
            assertEquals(OnnxUNet.OUTPUT, last.getOutput(0));
            assertEquals("out_W_shift", last.getInput(1));
            OnnxMl.TensorProto shift = g.getInitializerList().stream()
                    .filter(t -> t.getName().equals("out_W_shift"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(List.of(1L, 9L, 3L, 3L), shift.getDimsList());
        }
    }
}
