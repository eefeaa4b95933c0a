package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryView;
import dev.tributary.runtime.InstanceServer;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Chromium headless driven by Selenium, against a real broker with
 * the functions running and events flowing, the dashboard being {@code tributary dashboard
 * --allow-changes} run from the CLI jar. Skipped when Chromium or its driver is not installed
 * ({@code apt-get install chromium chromium-driver}).
 *
 * <p>With {@code -Ddashboard.screenshots=DIR} it also saves a screenshot of each page into DIR
 * (docs/images holds the ones the README shows).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Topics TOPICS = Topics.defaults();
    static final Duration WAIT = Duration.ofSeconds(45);
    static final String SCRIPT = "<script>alert(1)</script>";

    static TestBroker kafka;
    static Map<String, Object> client;
    static FunctionsRunner functions;
    static InstanceServer instance;
    static ModelRegistry registry;
    static CliProcesses cli;
    static String dashboard;
    static ChromeDriver browser;
    static KafkaProducer<byte[], byte[]> producer;
    static final AtomicBoolean sending = new AtomicBoolean(true);
    static final AtomicLong sent = new AtomicLong();
    static Thread feed;

    @BeforeAll
    static void startEverything(@TempDir Path state) throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium headless is needed: apt-get install chromium chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + ")");
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        registry = new ModelRegistry(client, TOPICS.models());
        registry.createModel(ModelVersions.defaultSpec("prices", Algorithm.LINEAR_REGRESSION, List.of("x1", "x2"))
                .setPublishEvery(50)
                .setPublishIntervalMs(500)
                .build());
        registry.createModel(ModelVersions.defaultSpec("spam", Algorithm.LOGISTIC_REGRESSION, List.of("x1", "x2"))
                .setPublishEvery(50)
                .setPublishIntervalMs(500)
                .build());
        functions = FunctionsRunner.start(new FunctionsRunner.Config(
                client,
                "dashboard-it",
                state,
                TOPICS,
                2,
                "exactly_once_v2",
                1,
                FunctionsTopology.Settings.defaults("dashboard-it")
                        .withMetering(FunctionsTopology.Metering.DEFAULT.withInterval(Duration.ofSeconds(2)))));
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
        instance = InstanceServer.start(functions, "127.0.0.1", 0);

        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        send("dead-1", SCRIPT); // not JSON: a dead letter
        feed = new Thread(DashboardIT::feed, "dashboard-it-feed");
        feed.setDaemon(true);
        feed.start();

        cli = new CliProcesses(Path.of("target", "dashboard-it"));
        CliProcesses.Background process = cli.background(
                "dashboard",
                "dashboard",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--port",
                "0",
                "--allow-changes",
                "--instance",
                "http://127.0.0.1:" + instance.port());
        process.awaitOutput("Tributary dashboard on", Duration.ofSeconds(60));
        Matcher url = Pattern.compile("on (http://\\S+/)").matcher(CliProcesses.read(process.out()));
        assertThat(url.find()).isTrue();
        dashboard = url.group(1);
        browser = chromium(state.resolve("chromium"));
    }

    /** About 100 labelled events a second for each model until the tests stop it. */
    static void feed() {
        long i = 0;
        while (sending.get()) {
            try {
                for (int k = 0; k < 10; k++, i++) {
                    double x1 = (i % 97) / 10.0;
                    double x2 = (i % 13) / 3.0;
                    send(
                            "p-" + i,
                            "{\"id\":\"p-" + i + "\",\"model\":\"prices\",\"features\":{\"x1\":" + x1 + ",\"x2\":" + x2
                                    + "},\"label\":" + (3 * x1 - 2 * x2 + 1) + "}");
                    send(
                            "s-" + i,
                            "{\"id\":\"s-" + i + "\",\"model\":\"spam\",\"features\":{\"x1\":" + x1 + ",\"x2\":" + x2
                                    + "},\"label\":" + (x1 > x2 ? 1 : 0) + "}");
                }
                producer.flush();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void send(String key, String value) {
        producer.send(new ProducerRecord<>(
                TOPICS.events(), key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
        sent.incrementAndGet();
    }

    static ChromeDriver chromium(Path profile) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--window-size=1400,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        sending.set(false);
        if (feed != null) {
            feed.join(5_000);
        }
        if (browser != null) {
            browser.quit();
        }
        if (cli != null) {
            CliProcesses.stop(cli.processes, Duration.ofSeconds(10));
        }
        TestBroker.closeAll(producer, instance, functions, registry, kafka);
    }

    /** A wait that reads the page again when a live update replaced what it was reading. */
    static FluentWait<WebDriver> waiting() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(200)).ignoring(StaleElementReferenceException.class);
    }

    static long number(String text) {
        return Long.parseLong(text.replace(",", "").trim());
    }

    @Test
    @Order(1)
    void theModelsPageListsTheModelsAndItsNumbersMoveAsEventsFlow() {
        browser.get(dashboard);
        waiting()
                .until(d ->
                        d.findElements(By.cssSelector("#models tr[data-model]")).size() == 2);
        waiting()
                .until(d -> d.findElement(By.cssSelector("#models tr[data-model='prices'] td.algorithm"))
                        .getText()
                        .equals("LINEAR_REGRESSION"));
        long before = waiting().until(d -> {
            String seen = d.findElement(By.cssSelector("#models tr[data-model='spam'] td.examples"))
                    .getText();
            return seen.equals("-") || number(seen) == 0 ? null : number(seen);
        });
        // no reload: the page follows the change feed
        waiting()
                .until(d -> number(d.findElement(By.cssSelector("#models tr[data-model='spam'] td.examples"))
                                .getText())
                        > before);
        waiting()
                .until(d -> !d.findElement(By.cssSelector("#models tr[data-model='spam'] td.metric"))
                        .getText()
                        .equals("-"));
        waiting()
                .until(d -> Double.parseDouble(d.findElement(By.cssSelector("#models tr[data-model='spam'] td.rate"))
                                .getText()
                                .replace(",", ""))
                        > 0);
        screenshot("models");
    }

    @Test
    @Order(2)
    void aModelsPageDrawsItsCurveWithAPointPerVersion() {
        browser.get(dashboard + "#/model/spam");
        waiting().until(d -> {
            RegistryView view = registry.view();
            long learned = view.versions("spam").values().stream()
                    .filter(v -> v.getExamplesSeen() > 0)
                    .count();
            int points =
                    d.findElements(By.cssSelector("svg#curve circle.point")).size();
            return learned >= 3 && points == learned;
        });
        @SuppressWarnings("unchecked")
        List<Object> drawn = (List<Object>) browser.executeScript("return Array.from(document.querySelectorAll("
                + "'svg#curve circle.point')).map(c => c.getAttribute('data-version'))");
        assertThat(drawn).isNotEmpty();
        for (Object version : drawn) {
            assertThat(registry.view().version("spam", Long.parseLong((String) version)))
                    .isPresent();
        }
        waiting()
                .until(d ->
                        d.findElements(By.cssSelector("svg#weights rect.bar")).size() == 2);
        screenshot("model");
    }

    @Test
    @Order(3)
    void settingAnAliasAndRollingBackInThePageMoveChampion() {
        browser.get(dashboard + "#/model/spam");
        WebElement version = waiting().until(d -> d.findElement(By.id("alias-version")));
        // Rolling back from the target moves champion to the version before it, which must not be version 0 (refused
        // without --to 0): wait for a second learned version.
        waiting().until(d -> registry.view().versions("spam").lastKey() >= 2);
        long target = registry.view().versions("spam").lastKey();
        assertThat(registry.view().aliases("spam")).doesNotContainKey(RegistryView.CHAMPION);
        version.clear();
        version.sendKeys(Long.toString(target));
        browser.findElement(By.id("set-alias")).click();
        waiting().until(d -> d.findElement(By.id("confirm-yes")).isDisplayed());
        browser.findElement(By.id("confirm-yes")).click();

        waiting()
                .until(d -> Long.valueOf(target)
                        .equals(registry.view().aliases("spam").get(RegistryView.CHAMPION)));
        ModelVersion serving = registry.serving("spam").orElseThrow();
        assertThat(serving.getVersion()).isEqualTo(target);
        waiting().until(d -> d.findElement(By.id("serving")).getText().equals(Long.toString(target)));

        browser.findElement(By.id("rollback")).click();
        waiting().until(d -> d.findElement(By.id("confirm-yes")).isDisplayed());
        browser.findElement(By.id("confirm-yes")).click();
        waiting()
                .until(d -> Long.valueOf(target - 1)
                        .equals(registry.view().aliases("spam").get(RegistryView.CHAMPION)));
    }

    @Test
    @Order(4)
    void aDeadLetterShowsAsText() {
        browser.get(dashboard + "#/dead-letters");
        waiting()
                .until(d -> d.findElements(By.cssSelector("#dead-letters pre.value")).stream()
                        .anyMatch(e -> e.getText().equals(SCRIPT)));
        assertThat(browser.findElements(By.cssSelector("main script"))).isEmpty();
        assertThat(browser.switchTo()).satisfies(to -> {
            try {
                to.alert();
                throw new AssertionError("the dead letter ran as a script");
            } catch (NoAlertPresentException expected) {
                // shown, not run
            }
        });
        screenshot("dead-letters");
    }

    @Test
    @Order(5)
    void theFunctionsAndUsagePagesShowTheInstanceLagAndBill() {
        browser.get(dashboard + "#/functions");
        waiting()
                .until(d -> d.findElements(By.cssSelector("#instances tr[data-function]"))
                                        .size()
                                == 1
                        && !d.findElements(By.cssSelector("#lag tbody tr")).isEmpty());
        assertThat(browser.findElement(By.id("instances")).getText()).contains("healthy");
        assertThat(browser.findElement(By.id("page")).getText()).doesNotContain("null", "undefined", "NaN");
        screenshot("functions");

        browser.get(dashboard + "#/usage");
        waiting().until(d -> d.findElements(By.cssSelector("#usage tbody tr")).size() >= 2);
        assertThat(browser.findElement(By.id("usage")).getText()).contains("spam", "prices");
        screenshot("usage");
    }

    @Test
    @Order(6)
    void thePagesLogNoErrors() {
        for (String page : List.of("#/models", "#/model/prices", "#/functions", "#/dead-letters", "#/usage")) {
            browser.get(dashboard + page);
            waiting().until(d -> d.findElement(By.id("page")).getAttribute("data-rendered") != null);
        }
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
        assertThat(errors).as("browser console").isEmpty();
    }

    /**
     * A browser holds six connections to a host at most: a page whose change feed outlived it would keep one
     * busy for a minute, and the seventh page opened in that minute would not load.
     */
    @Test
    @Order(7)
    void thePageOpensAgainAndAgain() {
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        for (int i = 0; i < 8; i++) {
            browser.get("about:blank");
            browser.get(dashboard + "#/models");
            waiting().until(d -> d.findElement(By.id("page")).getAttribute("data-rendered") != null);
        }
    }

    /** With -Ddashboard.screenshots=DIR: the page as shown, as DIR/dashboard-NAME.png. */
    static void screenshot(String name) {
        String dir = System.getProperty("dashboard.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path file = Path.of(dir).resolve("dashboard-" + name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
