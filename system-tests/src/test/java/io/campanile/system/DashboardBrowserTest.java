package io.campanile.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in headless Chromium against the real system (test packs, two stage-1 replicas): a sample submitted
 * from the generated form shows its progress and then its gallery, a running job is cancelled from its page, a train
 * job's loss curve grows, a mask painted on the canvas drives an inpainting, and the workers page shows the replicas.
 * Skipped, saying so, when no chromium is installed ({@code .ci/run} installs Debian's).
 */
@EnabledIf(
        value = "chromiumInstalled",
        disabledReason = "no chromium and chromedriver installed (apt-get install chromium chromium-driver)")
@ExtendWith(Stack.Extension.class)
class DashboardBrowserTest {
    static final String MNIST = "mnist-class";
    private static Browser browser;

    static boolean chromiumInstalled() {
        boolean installed = Browser.installation().isPresent();
        if (!installed) {
            System.out.println("DashboardBrowserTest SKIPPED: no /usr/bin/chromium with a chromedriver; install them"
                    + " with apt-get install chromium chromium-driver (.ci/run does)");
        }
        return installed;
    }

    @BeforeAll
    static void openBrowser() {
        browser = Browser.open(Stack.get().gatewayUrl());
        browser.login(Stack.get().apiKey());
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Waits on the job page until the job ends, calling watch about every 50 ms; returns the final status. */
    private static String watchJob(Duration atMost, Runnable watch) {
        return browser.await(atMost, d -> {
            watch.run();
            String s = browser.attr("#job", "data-status");
            return s != null && Jobs.TERMINAL.contains(s) ? s : null;
        });
    }

    private static void formReady(String query) {
        browser.go("/submit" + query);
        browser.await(Duration.ofSeconds(20), d -> "true".equals(browser.attr("#submit-form", "data-ready")));
    }

    private static void fill(String css, String value) {
        WebElement e = browser.find(css);
        e.clear();
        e.sendKeys(value);
    }

    private static String submitForm() {
        browser.find("#submit").click();
        browser.await(Duration.ofSeconds(20), d -> browser.path().startsWith("/jobs/"));
        return browser.path().substring("/jobs/".length());
    }

    @Test
    void aSampleSubmittedFromTheFormShowsItsProgressThenItsGallery() {
        formReady("");
        assertEquals(
                "sample",
                new Select(browser.find("#type")).getFirstSelectedOption().getDomAttribute("value"));
        new Select(browser.find("#model")).selectByValue(MNIST);
        fill("textarea[name=prompt]", "7");
        fill("input[name=num_images]", "8");
        fill("#seed", "1");
        // The prompt box of a class-conditioned model says which labels it takes instead of T5 tokens.
        browser.await(
                Duration.ofSeconds(10),
                d -> browser.find("[data-tokens=prompt]").getText().contains("class"));
        String id = submitForm();

        TreeSet<Integer> steps = new TreeSet<>();
        String status = watchJob(Duration.ofSeconds(120), () -> {
            if ("RUNNING".equals(browser.attr("#job", "data-status"))) {
                steps.add(Integer.parseInt(browser.attr("#progress", "data-step")));
            }
        });
        assertEquals("SUCCEEDED", status, Jobs.job(id).prettify());
        steps.remove(0);
        assertTrue(steps.size() >= 2, "the progress bar moved while the job ran: steps seen " + steps);
        assertEquals(
                100.0,
                ((Number) browser.js("return parseFloat(document.querySelector('#progress .bar').style.width)"))
                        .doubleValue());

        // The gallery: the contact sheet on top, every image by role with PNG and .npy links, all loaded.
        browser.await(
                Duration.ofSeconds(20), d -> browser.all("#gallery figure").size() >= 8);
        assertEquals(1, browser.all("#sheet figure[data-role=sheet]").size());
        WebElement first = browser.find("#gallery figure");
        String npy = first.findElement(By.cssSelector("a[href$='?format=npy']")).getDomAttribute("href");
        assertTrue(npy.contains("/v1/images/"), npy);
        browser.await(
                Duration.ofSeconds(20),
                d -> (Boolean)
                        browser.js(
                                "return [...document.images].filter(i => i.closest('#gallery')).every(i => i.complete && i.naturalWidth > 0)"));
        assertEquals(
                "1",
                browser.js("return [...document.querySelectorAll('#params dt')]"
                        + ".find(dt => dt.textContent === 'seed').nextElementSibling.textContent"));

        // The jobs list shows it, and its filters hide it.
        browser.go("/");
        browser.await(
                Duration.ofSeconds(10),
                d -> browser.all("tr[data-job='" + id + "']").size() == 1);
        assertEquals("SUCCEEDED", browser.attr("tr[data-job='" + id + "']", "data-status"));
        // its row shows its contact sheet as a thumbnail, loaded
        browser.await(
                Duration.ofSeconds(20), d -> (Boolean) browser.js("const i = document.querySelector(\"tr[data-job='"
                        + id + "'] img.thumb\"); return !!i && i.complete && i.naturalWidth > 0 && i.alt === 'sheet'"));
        browser.go("/?type=train");
        browser.await(
                Duration.ofSeconds(10),
                d -> browser.all("#jobs tbody tr").stream().noneMatch(r -> id.equals(r.getDomAttribute("data-job"))));
    }

    @Test
    void aPreviewShowsWhileTheLoopRuns() {
        // 300 guided steps of four digits: a few seconds, several previews at two a second.
        Map<String, Object> job = new HashMap<>(JobFlowTest.longJob());
        job.put("num_images", 4);
        String id = Jobs.submit(job);
        browser.go("/jobs/" + id);
        List<String> sources = new ArrayList<>();
        String status = watchJob(Duration.ofSeconds(120), () -> {
            String src = browser.attr("#preview", "src");
            if (src != null && !src.isEmpty() && !sources.contains(src)) {
                sources.add(src);
            }
        });
        assertEquals("SUCCEEDED", status);
        assertTrue(
                Integer.parseInt(browser.attr("#preview", "data-count")) > 0,
                "the job page never had a preview event from /v1/jobs/{id}/events");
        assertTrue(sources.get(0).startsWith("data:image/png;base64,"), sources.get(0));
        assertTrue((Boolean) browser.js("const i = document.getElementById('preview'); return i.naturalWidth > 0"));
    }

    @Test
    void aRunningJobIsCancelledFromItsPage() {
        for (int attempt = 0; attempt < 3; attempt++) {
            String id = Jobs.submit(JobFlowTest.longJob());
            browser.go("/jobs/" + id);
            String seen = browser.await(Duration.ofSeconds(60), d -> {
                String s = browser.attr("#job", "data-status");
                return s != null && ("RUNNING".equals(s) || Jobs.TERMINAL.contains(s)) ? s : null;
            });
            if (!"RUNNING".equals(seen)) {
                continue; // finished before the page saw it run; try a fresh one
            }
            browser.find("#cancel").click();
            String status = watchJob(Duration.ofSeconds(60), () -> {});
            if ("SUCCEEDED".equals(status)) {
                continue; // it finished before the cancel reached its worker
            }
            assertEquals("CANCELLED", status);
            assertEquals("CANCELLED", browser.find("#status").getText());
            assertTrue(!browser.find("#cancel").isEnabled(), "nothing left to cancel");
            return;
        }
        throw new AssertionError("every job finished before it could be cancelled");
    }

    @Test
    void aTrainJobsLossCurveGrowsWhileItTrains() {
        String id = Jobs.submit(Map.of(
                "type",
                "train",
                "architecture",
                "denoiser",
                "epochs",
                2,
                "batch_size",
                32,
                "hidden_dim",
                4,
                "train_subset",
                1024,
                "sample_epochs",
                List.of(2),
                "seed",
                7));
        browser.go("/jobs/" + id);
        TreeSet<Integer> points = new TreeSet<>();
        String status = watchJob(Duration.ofMinutes(4), () -> {
            String n = browser.attr("#loss", "data-points");
            if ("RUNNING".equals(browser.attr("#job", "data-status")) && n != null) {
                points.add(Integer.parseInt(n));
            }
        });
        assertEquals("SUCCEEDED", status, Jobs.job(id).prettify());
        points.remove(0);
        assertTrue(points.size() >= 2, "the loss curve grew while training: points seen " + points);
        assertTrue(browser.find("#loss-box").isDisplayed());
        browser.await(
                Duration.ofSeconds(20),
                d -> !browser.all("#files li[data-file='checkpoint-epoch-2.sd']")
                        .isEmpty());
        browser.await(
                Duration.ofSeconds(20),
                d -> !browser.all("#gallery figure[data-role='loss curve']").isEmpty());
    }

    /** The inpainting form on the class-conditioned test pack, with the photo uploaded and one stroke painted. */
    private static void paintAnInpainting() {
        formReady("?type=inpaint");
        new Select(browser.find("#model")).selectByValue(PartAOperationsTest.CLASS_PACK);
        Path photo = Path.of(System.getProperty("campanile.root", ".."))
                .resolve("examples/chelsea.png")
                .toAbsolutePath();
        browser.find("input[type=file][data-field=image]").sendKeys(photo.toString());
        browser.await(
                Duration.ofSeconds(10),
                d -> (Boolean)
                        browser.js(
                                "const i = document.querySelector('.stack img'); return !i.hidden && i.complete && i.naturalWidth > 0"));
        WebElement mask = browser.find("canvas[data-mask=mask]");
        new Actions(browser.driver())
                .moveToElement(mask, -80, -80)
                .clickAndHold()
                .moveByOffset(160, 0)
                .moveByOffset(0, 30)
                .moveByOffset(-160, 0)
                .release()
                .perform();
        assertEquals("1", mask.getDomAttribute("data-strokes"));
        fill("textarea[name=prompt]", "0");
        fill("input[name=timesteps]", "100, 50, 0");
    }

    @Test
    void aMaskPaintedOnTheCanvasDrivesAnInpainting() throws IOException {
        paintAnInpainting();
        String id = submitForm();
        assertEquals(
                "SUCCEEDED",
                watchJob(Duration.ofSeconds(90), () -> {}),
                Jobs.job(id).prettify());
        JsonPath job = Jobs.job(id);
        assertEquals(List.of("original", "mask", "inpainted 1", "sheet"), job.getList("outputs.role"));
        // The mask the job used is the painted one: white along the stroke, black elsewhere.
        byte[] png = RestAssured.get(ForwardAndBlurTest.url(job, "mask"))
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        BufferedImage m = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(m);
        int white = 0;
        int black = 0;
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                int v = m.getRGB(x, y) & 0xff;
                white += v > 200 ? 1 : 0;
                black += v < 50 ? 1 : 0;
            }
        }
        assertTrue(white > 0 && black > white, "painted stroke: " + white + " white, " + black + " black pixels");
        browser.await(
                Duration.ofSeconds(20),
                d -> !browser.all("#gallery figure[data-role='inpainted 1']").isEmpty());
    }

    @Test
    void theWorkersPageShowsTwoStage1Replicas() {
        browser.go("/workers");
        String state = browser.await(Duration.ofSeconds(20), d -> browser.attr("#workers", "data-state"));
        assertEquals("ok", state, "the workers page could not read GET /v1/workers");
        browser.await(
                Duration.ofSeconds(60), d -> "2".equals(browser.attr("tr[data-kind=stage1-worker]", "data-replicas")));
    }

    @Test
    void theModelsPageListsThePacks() {
        browser.go("/models");
        WebElement row = browser.find("tr[data-model=test-if-stage1]");
        assertTrue(row.getText().contains("t5"), row.getText());
        assertTrue(row.getText().contains("installed"), row.getText());
        assertTrue(browser.find("tr[data-model=test-mnist-class]").getText().contains("class"));
    }

    /** With -Dcampanile.screenshots=true: a PNG of every page into docs/ (README and docs show them). */
    @Test
    @EnabledIfSystemProperty(named = "campanile.screenshots", matches = "true")
    void screenshotsOfEveryPage() {
        Path docs = Path.of(System.getProperty("campanile.root", ".."))
                .resolve("docs")
                .toAbsolutePath();
        String sample =
                Jobs.submit(Map.of("type", "sample", "model", MNIST, "prompt", "3", "num_images", 8, "seed", 3));
        String train = Jobs.submit(Map.of(
                "type",
                "train",
                "architecture",
                "time_conditioned",
                "epochs",
                2,
                "batch_size",
                32,
                "hidden_dim",
                8,
                "train_subset",
                1024,
                "num_timesteps",
                50,
                "seed",
                7));
        Jobs.awaitTerminal(sample);
        Jobs.awaitTerminal(train, Duration.ofMinutes(4));
        String running = Jobs.submit(JobFlowTest.longJob());
        Jobs.submit(JobFlowTest.longJob());
        Jobs.submit(JobFlowTest.longJob());
        browser.go("/");
        browser.await(
                Duration.ofSeconds(90),
                d -> "RUNNING".equals(browser.attr("tr[data-job='" + running + "']", "data-status")));
        browser.screenshot(docs.resolve("dashboard-jobs.png"));
        browser.go("/jobs/" + sample);
        browser.await(Duration.ofSeconds(20), d -> (Boolean) browser.js(
                "return document.images.length > 8 && [...document.images].every(i => i.hidden || i.complete)"));
        browser.screenshot(docs.resolve("dashboard-job.png"));
        browser.go("/jobs/" + train);
        browser.await(Duration.ofSeconds(20), d -> !"0".equals(browser.attr("#loss", "data-points")));
        browser.screenshot(docs.resolve("dashboard-train.png"));
        paintAnInpainting();
        browser.screenshot(docs.resolve("dashboard-submit.png"));
        browser.go("/workers");
        browser.await(Duration.ofSeconds(20), d -> browser.attr("#workers", "data-state"));
        browser.screenshot(docs.resolve("dashboard-workers.png"));
        browser.go("/models");
        browser.screenshot(docs.resolve("dashboard-models.png"));
    }
}
