package io.campanile.trainer.model;

/** A network on n images [n, 1, 28, 28] with t / T [n] and class one-hots [n, K] (either may be null when unused). */
@FunctionalInterface
public interface EpsilonModel {
    float[] predict(float[] x, float[] t, float[] c, int n);
}
