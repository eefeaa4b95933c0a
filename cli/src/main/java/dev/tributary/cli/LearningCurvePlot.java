package dev.tributary.cli;

import dev.tributary.evaluation.EvaluationResult;
import dev.tributary.evaluation.LearningCurve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a learning curve into a PNG with plain java.awt (headless): the progressive metric over
 * events, the batch hold-out figure and the online hold-out figure as horizontal lines, axes with
 * ticks and labels. The y range covers the curve after its first 2 % of events and the reference
 * lines, so the noisy first events do not flatten the rest; what falls outside is clipped.
 */
final class LearningCurvePlot {
  static final int WIDTH = 960;
  static final int HEIGHT = 560;
  private static final int LEFT = 84;
  private static final int RIGHT = 28;
  private static final int TOP = 56;
  private static final int BOTTOM = 64;
  private static final Color CURVE = new Color(0x1f, 0x77, 0xb4);
  private static final Color BATCH = new Color(0xd6, 0x27, 0x28);
  private static final Color HOLDOUT = new Color(0x2c, 0xa0, 0x2c);
  private static final Color GRID = new Color(0xe6, 0xe6, 0xe6);

  private LearningCurvePlot() {}

  static void write(EvaluationResult r, String title, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = render(r, title);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new CliException("cannot write a PNG to " + file);
    }
  }

  static BufferedImage render(EvaluationResult r, String title) {
    LearningCurve curve = r.curve();
    String metric = curve.metric().equals("r2") ? "R²" : curve.metric();
    double batch = r.batchMetric();
    double holdout = r.holdoutMetric();
    long maxEvents = curve.size() == 0 ? 1 : Math.max(1, curve.events()[curve.size() - 1]);

    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < curve.size(); i++) {
      double v = curve.values()[i];
      if (Double.isFinite(v) && curve.events()[i] >= 0.02 * maxEvents) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    for (double v : new double[] {batch, holdout}) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Double.isFinite(lo)) {
      lo = 0;
      hi = 1;
    }
    double pad = Math.max((hi - lo) * 0.1, 0.005);
    lo -= pad;
    hi += pad;
    if (curve.metric().equals("accuracy")) {
      lo = Math.max(lo, 0);
      hi = Math.min(hi, 1);
    }
    double yStep = niceStep((hi - lo) / 6);
    lo = Math.floor(lo / yStep) * yStep;
    hi = Math.ceil(hi / yStep) * yStep;

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      int plotW = WIDTH - LEFT - RIGHT;
      int plotH = HEIGHT - TOP - BOTTOM;
      Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
      Font heading = new Font(Font.SANS_SERIF, Font.BOLD, 15);
      final double yLo = lo;
      final double yHi = hi;
      java.util.function.DoubleUnaryOperator px = e -> LEFT + plotW * e / maxEvents;
      java.util.function.DoubleUnaryOperator py = v -> TOP + plotH * (yHi - v) / (yHi - yLo);

      // Grid and ticks.
      g.setFont(small);
      FontMetrics fm = g.getFontMetrics();
      for (double v = lo; v <= hi + yStep / 2; v += yStep) {
        int y = (int) Math.round(py.applyAsDouble(v));
        g.setColor(GRID);
        g.drawLine(LEFT, y, LEFT + plotW, y);
        g.setColor(Color.DARK_GRAY);
        String text = String.format(Locale.ROOT, yStep < 0.01 ? "%.3f" : "%.2f", v);
        g.drawString(text, LEFT - 8 - fm.stringWidth(text), y + fm.getAscent() / 2 - 1);
      }
      double xStep = niceStep(maxEvents / 6.0);
      for (double e = 0; e <= maxEvents + xStep / 2; e += xStep) {
        if (e > maxEvents) {
          break;
        }
        int x = (int) Math.round(px.applyAsDouble(e));
        g.setColor(GRID);
        g.drawLine(x, TOP, x, TOP + plotH);
        g.setColor(Color.DARK_GRAY);
        String text = String.format(Locale.ROOT, "%,d", (long) e);
        g.drawString(text, x - fm.stringWidth(text) / 2, TOP + plotH + fm.getAscent() + 6);
      }
      g.setColor(Color.GRAY);
      g.drawRect(LEFT, TOP, plotW, plotH);

      // Reference lines and the curve, clipped to the plot area.
      g.setClip(LEFT, TOP, plotW + 1, plotH + 1);
      float[] dash = {8f, 6f};
      if (Double.isFinite(batch)) {
        g.setColor(BATCH);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        int y = (int) Math.round(py.applyAsDouble(batch));
        g.drawLine(LEFT, y, LEFT + plotW, y);
      }
      if (Double.isFinite(holdout)) {
        g.setColor(HOLDOUT);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f));
        int y = (int) Math.round(py.applyAsDouble(holdout));
        g.drawLine(LEFT, y, LEFT + plotW, y);
      }
      g.setColor(CURVE);
      g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      Path2D.Double path = new Path2D.Double();
      boolean started = false;
      for (int i = 0; i < curve.size(); i++) {
        double v = curve.values()[i];
        if (!Double.isFinite(v)) {
          continue;
        }
        double x = px.applyAsDouble(curve.events()[i]);
        double y = Math.max(TOP - 10, Math.min(TOP + plotH + 10, py.applyAsDouble(v)));
        if (started) {
          path.lineTo(x, y);
        } else {
          path.moveTo(x, y);
          started = true;
        }
      }
      g.draw(path);
      g.setClip(null);

      // Axis labels and title.
      g.setColor(Color.BLACK);
      g.setFont(label);
      fm = g.getFontMetrics();
      String xLabel = "events (rows in file order)";
      g.drawString(xLabel, LEFT + (plotW - fm.stringWidth(xLabel)) / 2, HEIGHT - 16);
      String yLabel = "progressive " + metric + " (test-then-train)";
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      g.drawString(yLabel, -(TOP + (plotH + fm.stringWidth(yLabel)) / 2), 22);
      g.setTransform(saved);
      g.setFont(heading);
      g.drawString("Learning curve: " + title, LEFT, 26);

      // Legend, bottom right inside the plot.
      g.setFont(small);
      fm = g.getFontMetrics();
      String[] names = {
          String.format(Locale.ROOT, "online, progressive (final %.4f)", r.progressiveMetric()),
          Double.isFinite(holdout) ? String.format(Locale.ROOT, "online, hold-out last %d rows (%.4f)", r.testRows(), holdout) : null,
          Double.isFinite(batch) ? String.format(Locale.ROOT, "batch liblinear, hold-out (%.4f)", batch) : null};
      Color[] colors = {CURVE, HOLDOUT, BATCH};
      int lines = 0;
      int textW = 0;
      for (String n : names) {
        if (n != null) {
          lines++;
          textW = Math.max(textW, fm.stringWidth(n));
        }
      }
      int boxW = textW + 52;
      int boxH = lines * 18 + 10;
      int bx = LEFT + plotW - boxW - 10;
      int by = TOP + plotH - boxH - 10;
      g.setColor(new Color(255, 255, 255, 230));
      g.fillRect(bx, by, boxW, boxH);
      g.setColor(Color.LIGHT_GRAY);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(bx, by, boxW, boxH);
      int row = 0;
      for (int i = 0; i < names.length; i++) {
        if (names[i] == null) {
          continue;
        }
        int y = by + 18 + row * 18;
        g.setColor(colors[i]);
        g.setStroke(i == 0 ? new BasicStroke(2.2f) : i == 1
            ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f)
            : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        g.drawLine(bx + 8, y - 4, bx + 40, y - 4);
        g.setColor(Color.BLACK);
        g.drawString(names[i], bx + 46, y);
        row++;
      }
    } finally {
      g.dispose();
    }
    return image;
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
