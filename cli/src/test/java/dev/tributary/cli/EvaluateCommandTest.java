package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
    @TempDir
    Path dir;

    /** y = 1 when 2a - b + noise > 0; a "city" column that shifts the odds; 1500 rows. */
    private Path classificationCsv() throws Exception {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("a,b,city,y\n");
        String[] cities = {"oslo", "lima", "pune"};
        for (int i = 0; i < 1500; i++) {
            double a = random.nextGaussian();
            double b = 10 * random.nextGaussian();
            int c = random.nextInt(3);
            int y = 2 * a - b / 10 + (c == 0 ? 1 : 0) + 0.4 * random.nextGaussian() > 0 ? 1 : 0;
            csv.append(a)
                    .append(',')
                    .append(b)
                    .append(',')
                    .append(cities[c])
                    .append(',')
                    .append(y)
                    .append('\n');
        }
        Path file = dir.resolve("toy.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void textReportsEveryFigureNextToTheBaselines() throws Exception {
        Path csv = classificationCsv();
        CliRun run = CliRun.of(
                "evaluate",
                "--csv",
                csv.toString(),
                "--label",
                "y",
                "--algorithm",
                "logistic",
                "--categorical",
                "city");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("1500 rows, 2 numeric and 1 categorical features, label 'y'")
                .contains("logistic regression, adagrad")
                .contains("progressive")
                .contains("hold-out")
                .contains("liblinear L2R_LR (-s 0)")
                .contains("Wall time: progressive");
        for (String figure : new String[] {"accuracy", "log loss", "precision", "recall", "F1", "ROC AUC"}) {
            assertThat(run.out().lines().anyMatch(l -> l.startsWith(figure + " ")))
                    .as(figure)
                    .isTrue();
        }
    }

    @Test
    void jsonIsOneObjectWithEveryFigure() throws Exception {
        Path csv = classificationCsv();
        CliRun run = CliRun.of(
                "evaluate",
                "--csv",
                csv.toString(),
                "--label",
                "y",
                "--algorithm",
                "svm",
                "--features",
                "a,b",
                "--categorical",
                "city",
                "--optimizer",
                "pegasos",
                "--format",
                "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(run.out());
        assertThat(o.get("rows").asInt()).isEqualTo(1500);
        assertThat(o.get("learner").get("optimizer").asText()).isEqualTo("pegasos");
        assertThat(o.get("metric").asText()).isEqualTo("accuracy");
        assertThat(o.get("trainRows").asInt()).isEqualTo(1200);
        for (String part : new String[] {"progressive", "holdout", "batch"}) {
            assertThat(o.get(part).get("accuracy").asDouble()).as(part).isGreaterThan(0.85);
            assertThat(o.get(part).has("auc")).isTrue();
            assertThat(o.get(part).has("f1")).isTrue();
        }
        assertThat(o.get("batch").get("model").asText()).contains("L2R_L2LOSS_SVC");
        assertThat(o.get("majority").get("holdout").get("accuracy").asDouble()).isLessThan(0.8);
        assertThat(o.get("curve").get("events").size())
                .isEqualTo(o.get("curve").get("values").size())
                .isPositive();
        assertThat(o.get("wallTimeMs").get("progressive").asDouble()).isPositive();
    }

    @Test
    void regressionAndThePlot() throws Exception {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("x1,x2,price\n");
        for (int i = 0; i < 800; i++) {
            double x1 = random.nextDouble() * 5;
            double x2 = random.nextGaussian();
            csv.append(x1)
                    .append(',')
                    .append(x2)
                    .append(',')
                    .append(500 + 300 * x1 - 80 * x2 + 20 * random.nextGaussian())
                    .append('\n');
        }
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, csv);
        Path png = dir.resolve("curve.png");
        CliRun run = CliRun.of(
                "evaluate",
                "--csv",
                file.toString(),
                "--label",
                "price",
                "--algorithm",
                "linear",
                "--plot",
                png.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("R²").contains("RMSE").contains("MAE").contains("L2R_L2LOSS_SVR");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(LearningCurvePlot.WIDTH);
        assertThat(image.getHeight())
                .as("two panels: RMSE and R²")
                .isEqualTo(LearningCurvePlot.TITLE + 2 * LearningCurvePlot.PANEL_HEIGHT);
    }

    @Test
    void badFilesAndLabelsGetOneSentence() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b,y\n1,2,0\n2,3,1\n3,4,2\n4,5,0\n5,6,1\n");
        CliRun label = CliRun.of("evaluate", "--csv", file.toString(), "--label", "y", "--algorithm", "logistic");
        assertThat(label.code()).isEqualTo(1);
        assertThat(label.errLines())
                .containsExactly(
                        "tributary: bad.csv line 4: the label 'y' is 2, but logistic regression needs labels 0 and 1.");

        CliRun column = CliRun.of("evaluate", "--csv", file.toString(), "--label", "target", "--algorithm", "linear");
        assertThat(column.code()).isEqualTo(1);
        assertThat(column.errLines()).singleElement().asString().contains("no column 'target' for the label");

        Files.writeString(file, "a,y\n1,0\n2,yes\n");
        CliRun text = CliRun.of("evaluate", "--csv", file.toString(), "--label", "y", "--algorithm", "svm");
        assertThat(text.errLines())
                .containsExactly(
                        "tributary: bad.csv line 3: column 'y' is 'yes', not a number; the label must be a number (0 or 1).");

        CliRun missing = CliRun.of(
                "evaluate", "--csv", dir.resolve("none.csv").toString(), "--label", "y", "--algorithm", "svm");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");

        CliRun plot = CliRun.of(
                "evaluate", "--csv", file.toString(), "--label", "y", "--algorithm", "svm", "--plot", "x.jpg");
        assertThat(plot.code()).isEqualTo(2);
        Path nowhere = dir.resolve("no-such-dir").resolve("x.png");
        CliRun noDir = CliRun.of(
                "evaluate",
                "--csv",
                file.toString(),
                "--label",
                "y",
                "--algorithm",
                "svm",
                "--plot",
                nowhere.toString());
        assertThat(noDir.code()).isEqualTo(2);
        assertThat(noDir.err()).contains("does not exist; create it first");
        assertThat(nowhere.getParent()).doesNotExist();
    }

    @Test
    void theHeadlineGivesLogLossAndAucAndSaysWhichOnlineFigureIsWhich() throws Exception {
        Path csv = classificationCsv();
        CliRun run = CliRun.of(
                "evaluate",
                "--csv",
                csv.toString(),
                "--label",
                "y",
                "--algorithm",
                "logistic",
                "--categorical",
                "city",
                "--label-delay",
                "50");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("Progressive \\(.*\\): log loss 0\\.\\d{4}, ROC AUC 0\\.\\d{4}, accuracy 0\\.\\d{4}"
                        + " \\(running prior: log loss 0\\.\\d{4}\\)")
                .contains("With each label 50 rows late (row i learnt after row i+50): log loss")
                .contains("On the last 300 rows (rows 1201-1500), where the batch model is tested:")
                .contains("batch, trained once on rows 1-1200:")
                .contains("online, progressive (predicts each row, then learns it):")
                .contains("online, frozen after one pass over rows 1-1200:")
                .contains("label delay 50")
                .contains("running");
    }

    @Test
    void noBatchSkipsItAndJsonCarriesTheDelayedAndThePriorFigures() throws Exception {
        Path csv = classificationCsv();
        CliRun run = CliRun.of(
                "evaluate",
                "--csv",
                csv.toString(),
                "--label",
                "y",
                "--algorithm",
                "logistic",
                "--categorical",
                "city",
                "--no-batch",
                "--label-delay",
                "10",
                "--format",
                "json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(run.out());
        assertThat(o.get("batch").isNull()).isTrue();
        assertThat(o.get("labelDelay").asInt()).isEqualTo(10);
        assertThat(o.get("delayed").get("count").asInt()).isEqualTo(1500);
        assertThat(o.get("prior").get("logloss").asDouble())
                .isGreaterThan(o.get("progressive").get("logloss").asDouble());
        assertThat(o.get("progressiveOnTest").get("count").asInt()).isEqualTo(300);
        assertThat(o.get("curve").get("series").has("logloss.window")).isTrue();
        CliRun text = CliRun.of(
                "evaluate",
                "--csv",
                csv.toString(),
                "--label",
                "y",
                "--algorithm",
                "logistic",
                "--categorical",
                "city",
                "--no-batch");
        assertThat(text.out()).contains("batch:").contains("skipped (--no-batch)");
        assertThat(CliRun.of(
                                "evaluate",
                                "--csv",
                                csv.toString(),
                                "--label",
                                "y",
                                "--algorithm",
                                "logistic",
                                "--categorical",
                                "city",
                                "--label-delay",
                                "-1")
                        .code())
                .isEqualTo(2);
    }
}
