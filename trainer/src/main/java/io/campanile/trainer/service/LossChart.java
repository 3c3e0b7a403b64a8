package io.campanile.trainer.service;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The training loss per step on a log scale, as the course plots it, drawn with JFreeChart into a PNG. */
public final class LossChart {
    private LossChart() {}

    public static byte[] png(String title, List<Double> losses, int width, int height) {
        XYSeries raw = new XYSeries("loss");
        for (int i = 0; i < losses.size(); i++) {
            double v = losses.get(i);
            if (v > 0 && Double.isFinite(v)) {
                raw.add(i + 1, v);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, "step", "MSE loss", new XYSeriesCollection(raw), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis y = new LogAxis("MSE loss (log scale)");
        y.setSmallestValue(1e-6);
        // plain values (0.02, 0.05, 0.1) rather than JFreeChart's default exponents (10^-1.30)
        y.setNumberFormatOverride(new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        plot.setRangeAxis(y);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.getRenderer().setSeriesPaint(0, new Color(31, 119, 180));
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage img = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
