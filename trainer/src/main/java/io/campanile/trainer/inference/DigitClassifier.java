package io.campanile.trainer.inference;

import io.campanile.trainer.mnist.MnistDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small LeNet-style digit classifier in Deeplearning4j (conv 5x5 x20, max-pool, conv 5x5 x50, max-pool, dense 500,
 * softmax), trained on the MNIST training set, to score generated digits.
 */
public final class DigitClassifier {
    private final MultiLayerNetwork net;

    private DigitClassifier(MultiLayerNetwork net) {
        this.net = net;
    }

    /** Trains on {@code train} for {@code epochs} epochs of batches of 64 (Adam 1e-3), shuffled from {@code seed}. */
    public static DigitClassifier train(MnistDataset train, int epochs, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(20)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(50)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(500)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        int n = train.size();
        int batch = 64;
        SplittableRandom r = new SplittableRandom(seed);
        for (int e = 0; e < epochs; e++) {
            int[] order = shuffled(n, r);
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                float[] x = new float[m * MnistDataset.PIXELS];
                float[] y = new float[m * 10];
                for (int i = 0; i < m; i++) {
                    train.copyImage(order[from + i], x, i * MnistDataset.PIXELS);
                    y[i * 10 + train.labels()[order[from + i]]] = 1;
                }
                net.fit(Nd4j.create(x, new long[] {m, 1, 28, 28}, 'c'), Nd4j.create(y, new long[] {m, 10}, 'c'));
            }
        }
        return new DigitClassifier(net);
    }

    public static DigitClassifier load(Path file) throws IOException {
        return new DigitClassifier(ModelSerializer.restoreMultiLayerNetwork(file.toFile()));
    }

    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), false);
    }

    /** Predicted digit of each of n images [n, 1, 28, 28] in [0, 1]. */
    public int[] predict(float[] images, int n) {
        INDArray out = net.output(Nd4j.create(images, new long[] {n, 1, 28, 28}, 'c'));
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            pred[i] = out.getRow(i).argMax().getInt(0);
        }
        return pred;
    }

    /** Fraction of {@code data} classified correctly. */
    public double accuracy(MnistDataset data) {
        int correct = 0;
        int batch = 500;
        for (int from = 0; from < data.size(); from += batch) {
            int m = Math.min(batch, data.size() - from);
            float[] x = new float[m * MnistDataset.PIXELS];
            System.arraycopy(data.images(), from * MnistDataset.PIXELS, x, 0, x.length);
            int[] p = predict(x, m);
            for (int i = 0; i < m; i++) {
                if (p[i] == data.labels()[from + i]) {
                    correct++;
                }
            }
        }
        return correct / (double) data.size();
    }

    private static int[] shuffled(int n, SplittableRandom r) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }
}
