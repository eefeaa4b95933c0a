package dev.tributary.cli;

import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.evaluation.LearningCurve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the learning curves into a PNG with plain java.awt (headless), one panel per figure a user
 * decides by: log loss, ROC AUC and accuracy for logistic regression; ROC AUC and accuracy for the
 * SVM; RMSE and R² for regression. Each panel shows the progressive figure cumulative and windowed
 * (over the events since the previous point), the running prior's (or the mean's) the same way,
 * and the batch and frozen online hold-out figures as horizontal lines. The y range covers the
 * lines after their first 2 % of events, so the noisy first events do not flatten the rest.
 *
 * <pre>{@code
 * LearningCurvePlot.write(result, "spambase.csv, logistic (adagrad)", Path.of("curves.png"));
 * }</pre>
 */
final class LearningCurvePlot {
    static final int WIDTH = 960;
    static final int PANEL_HEIGHT = 340;
    static final int TITLE = 40;
    private static final int LEFT = 84;
    private static final int RIGHT = 48;
    private static final int TOP = 34;
    private static final int BOTTOM = 48;
    private static final Color CURVE = new Color(0x1f, 0x77, 0xb4);
    private static final Color WINDOW = new Color(0x9e, 0xc5, 0xe3);
    private static final Color BASELINE = new Color(0x55, 0x55, 0x55);
    private static final Color BASELINE_WINDOW = new Color(0xbb, 0xbb, 0xbb);
    private static final Color BATCH = new Color(0xd6, 0x27, 0x28);
    private static final Color HOLDOUT = new Color(0x2c, 0xa0, 0x2c);
    private static final Color GRID = new Color(0xe6, 0xe6, 0xe6);
    private static final BasicStroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke THIN = new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);
    private static final BasicStroke DOTTED =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f);

    /** A curve over the events, or, with {@code constant} set, a horizontal reference line. */
    record Line(String label, double[] values, double constant, Color color, BasicStroke stroke) {}

    record Panel(String metric, List<Line> lines) {}

    private LearningCurvePlot() {}

    static void write(EvaluationResult r, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = render(r, title);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new CliException("cannot write a PNG to " + file);
        }
    }

    /** What a user decides by, one panel each: log loss (or RMSE), ROC AUC, accuracy (or R²). */
    static List<Panel> panels(EvaluationResult r) {
        Map<String, double[]> s = r.curve().series();
        List<Panel> panels = new ArrayList<>();
        switch (r.config().task()) {
            case LOGISTIC -> {
                panels.add(panel(r, "logloss", "log loss", s, "prior.logloss", "running prior"));
                panels.add(panel(r, "auc", "ROC AUC", s, null, null));
                panels.add(panel(r, "accuracy", "accuracy", s, null, null));
            }
            case SVM -> {
                panels.add(panel(r, "auc", "ROC AUC", s, null, null));
                panels.add(panel(r, "accuracy", "accuracy", s, null, null));
            }
            case REGRESSION -> {
                panels.add(panel(r, "rmse", "RMSE", s, "mean.rmse", "mean so far"));
                panels.add(panel(r, "r2", "R²", s, null, null));
            }
        }
        return panels;
    }

    private static Panel panel(
            EvaluationResult r,
            String key,
            String name,
            Map<String, double[]> s,
            String baseline,
            String baselineName) {
        List<Line> lines = new ArrayList<>();
        if (baseline != null) {
            lines.add(new Line(
                    baselineName + ", windowed", s.get(baseline + ".window"), Double.NaN, BASELINE_WINDOW, THIN));
        }
        if (s.containsKey(key + ".window")) {
            lines.add(new Line("online, windowed", s.get(key + ".window"), Double.NaN, WINDOW, THIN));
        }
        if (baseline != null) {
            lines.add(new Line(baselineName + ", cumulative", s.get(baseline), Double.NaN, BASELINE, SOLID));
        }
        double[] cumulative = s.get(key);
        lines.add(new Line(
                String.format(Locale.ROOT, "online, progressive (final %.4f)", last(cumulative)),
                cumulative,
                Double.NaN,
                CURVE,
                SOLID));
        Double holdout = r.holdout().get(key);
        if (holdout != null && Double.isFinite(holdout)) {
            lines.add(new Line(
                    String.format(Locale.ROOT, "online, frozen, last %d rows (%.4f)", r.testRows(), holdout),
                    null,
                    holdout,
                    HOLDOUT,
                    DOTTED));
        }
        Double batch = r.batch() == null ? null : r.batch().get(key);
        if (batch != null && Double.isFinite(batch)) {
            lines.add(new Line(
                    String.format(Locale.ROOT, "batch liblinear, last %d rows (%.4f)", r.testRows(), batch),
                    null,
                    batch,
                    BATCH,
                    DASHED));
        }
        return new Panel(name, lines);
    }

    private static double last(double[] values) {
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }

    static BufferedImage render(EvaluationResult r, String title) {
        List<Panel> panels = panels(r);
        int height = TITLE + panels.size() * PANEL_HEIGHT;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString("Learning curves: " + title, LEFT, 26);
            for (int i = 0; i < panels.size(); i++) {
                drawPanel(g, r.curve(), panels.get(i), TITLE + i * PANEL_HEIGHT);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawPanel(Graphics2D g, LearningCurve curve, Panel panel, int top) {
        long maxEvents = curve.size() == 0 ? 1 : Math.max(1, curve.events()[curve.size() - 1]);
        // The y range covers every line after its first 2 % of events, so the noisy start does not flatten the rest.
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Line line : panel.lines()) {
            if (line.values() == null) {
                lo = Math.min(lo, line.constant());
                hi = Math.max(hi, line.constant());
                continue;
            }
            for (int i = 0; i < curve.size(); i++) {
                double v = line.values()[i];
                if (Double.isFinite(v) && curve.events()[i] >= 0.02 * maxEvents) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            lo = 0;
            hi = 1;
        }
        double pad = Math.max((hi - lo) * 0.08, 0.005);
        lo -= pad;
        hi += pad;
        if (!panel.metric().equals("R²")
                && !panel.metric().equals("RMSE")
                && !panel.metric().equals("log loss")) {
            lo = Math.max(lo, 0);
            hi = Math.min(hi, 1);
        } else if (!panel.metric().equals("R²")) {
            lo = Math.max(lo, 0);
        }
        double yStep = niceStep((hi - lo) / 5);
        lo = Math.floor(lo / yStep) * yStep;
        hi = Math.ceil(hi / yStep) * yStep;

        int plotTop = top + TOP;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = PANEL_HEIGHT - TOP - BOTTOM;
        final double yLo = lo;
        final double yHi = hi;
        java.util.function.DoubleUnaryOperator px = e -> LEFT + plotW * e / maxEvents;
        java.util.function.DoubleUnaryOperator py = v -> plotTop + plotH * (yHi - v) / (yHi - yLo);

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double v = lo; v <= hi + yStep / 2; v += yStep) {
            int y = (int) Math.round(py.applyAsDouble(v));
            g.setColor(GRID);
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String text = String.format(Locale.ROOT, yStep < 0.01 ? "%.3f" : Math.abs(hi) >= 100 ? "%.0f" : "%.2f", v);
            g.drawString(text, LEFT - 8 - fm.stringWidth(text), y + fm.getAscent() / 2 - 1);
        }
        double xStep = niceStep(maxEvents / 6.0);
        for (double e = 0; e <= maxEvents + xStep / 2 && e <= maxEvents; e += xStep) {
            int x = (int) Math.round(px.applyAsDouble(e));
            g.setColor(GRID);
            g.drawLine(x, plotTop, x, plotTop + plotH);
            g.setColor(Color.DARK_GRAY);
            String text = String.format(Locale.ROOT, "%,d", (long) e);
            g.drawString(text, x - fm.stringWidth(text) / 2, plotTop + plotH + fm.getAscent() + 6);
        }
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, plotTop, plotW, plotH);

        g.setClip(LEFT, plotTop, plotW + 1, plotH + 1);
        for (Line line : panel.lines()) {
            g.setColor(line.color());
            g.setStroke(line.stroke());
            if (line.values() == null) {
                int y = (int) Math.round(py.applyAsDouble(line.constant()));
                g.drawLine(LEFT, y, LEFT + plotW, y);
                continue;
            }
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < curve.size(); i++) {
                double v = line.values()[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = px.applyAsDouble(curve.events()[i]);
                double y = Math.max(plotTop - 10, Math.min(plotTop + plotH + 10, py.applyAsDouble(v)));
                if (started) {
                    path.lineTo(x, y);
                } else {
                    path.moveTo(x, y);
                    started = true;
                }
            }
            g.draw(path);
        }
        g.setClip(null);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(panel.metric() + " over events (rows in file order)", LEFT, plotTop - 8);

        // Legend, top right inside the plot.
        g.setFont(small);
        fm = g.getFontMetrics();
        int textW = 0;
        for (Line line : panel.lines()) {
            textW = Math.max(textW, fm.stringWidth(line.label()));
        }
        int boxW = textW + 52;
        int boxH = panel.lines().size() * 16 + 8;
        int bx = LEFT + plotW - boxW - 8;
        int by = plotTop + 8;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(bx, by, boxW, boxH);
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(bx, by, boxW, boxH);
        for (int i = 0; i < panel.lines().size(); i++) {
            Line line = panel.lines().get(i);
            int y = by + 16 + i * 16;
            g.setColor(line.color());
            g.setStroke(line.stroke());
            g.drawLine(bx + 8, y - 4, bx + 40, y - 4);
            g.setColor(Color.BLACK);
            g.drawString(line.label(), bx + 46, y);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }
}
