package io.herald.bench.report;

import io.herald.bench.cluster.OnlineSeries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Devices online over time (total and per gateway) with the scenario's events as vertical markers: a PNG. */
public final class OnlineChart {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 600;

    private OnlineChart() {
    }

    public static void write(OnlineSeries series, String title, Path file) {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries total = new XYSeries("total");
        List<OnlineSeries.Sample> samples = series.samples();
        for (OnlineSeries.Sample sample : samples) {
            total.add(sample.seconds(), sample.total());
        }
        data.addSeries(total);
        for (int n = 1; n <= series.gateways(); n++) {
            XYSeries gateway = new XYSeries("gateway-" + n);
            for (OnlineSeries.Sample sample : samples) {
                gateway.add(sample.seconds(), sample.perGateway()[n - 1]);
            }
            data.addSeries(gateway);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "seconds", "devices online", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(2.5f));
        for (OnlineSeries.Event event : series.events()) {
            ValueMarker marker = new ValueMarker(event.seconds(), Color.GRAY, new BasicStroke(1f));
            marker.setLabel(event.what());
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker);
        }
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
