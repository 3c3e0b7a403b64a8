package io.campanile.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.jobs.Architecture;
import io.campanile.trainer.model.TrainParams;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainParamsParseTest {
    static ObjectNode arch(String a) {
        return JsonNodeFactory.instance.objectNode().put("architecture", a);
    }

    @Test
    void defaultsAreTheCourses() {
        TrainParams d = TrainParams.parse(arch("denoiser"), 1);
        assertEquals(5, d.epochs());
        assertEquals(256, d.batchSize());
        assertEquals(128, d.hiddenDim());
        assertEquals(1e-4, d.lr());
        assertEquals(0.5, d.sigma());
        assertEquals(1.0, d.gammaPerEpoch());
        TrainParams c = TrainParams.parse(arch("class_conditioned"), 1);
        assertEquals(Architecture.CLASS_CONDITIONED, c.architecture());
        assertEquals(20, c.epochs());
        assertEquals(128, c.batchSize());
        assertEquals(64, c.hiddenDim());
        assertEquals(1e-3, c.lr());
        assertEquals(300, c.numTimesteps());
        assertEquals(0.1, c.pUncond());
        assertEquals(5.0, c.guidanceScale());
        assertEquals(List.of(5, 20), c.sampleEpochs());
        assertEquals(0.1, Math.pow(c.gammaPerEpoch(), c.epochs()), 1e-12);
    }

    @Test
    void everyFieldCanBeOverridden() {
        ObjectNode p = arch("time_conditioned")
                .put("epochs", 3)
                .put("batch_size", 64)
                .put("lr", 0.002)
                .put("hidden_dim", 16)
                .put("num_timesteps", 100)
                .put("p_uncond", 0.2)
                .put("train_subset", 1000);
        TrainParams t = TrainParams.parse(p, 7);
        assertEquals(
                List.of(3, 64, 16, 100, 1000),
                List.of(t.epochs(), t.batchSize(), t.hiddenDim(), t.numTimesteps(), t.trainSubset()));
        assertEquals(0.002, t.lr());
        assertEquals(0.2, t.pUncond());
        assertEquals(7, t.seed());
    }

    @Test
    void badFieldsAreRefusedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> TrainParams.parse(arch("gan"), 1));
        assertTrue(e.getMessage().contains("architecture"));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainParams.parse(arch("denoiser").put("epochs", 0), 1));
        assertTrue(e.getMessage().contains("epochs"));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainParams.parse(arch("denoiser").put("batch_size", "big"), 1));
        assertTrue(e.getMessage().contains("batch_size"));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainParams.parse(arch("denoiser").put("hidden_dim", 0), 1));
        assertTrue(e.getMessage().contains("hidden_dim"));
    }
}
