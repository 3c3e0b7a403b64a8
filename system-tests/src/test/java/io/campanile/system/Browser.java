package io.campanile.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium for the dashboard's tests: Debian's {@code chromium} and its
 * {@code chromium-driver} (installed by {@code .ci/run}); both paths are given to Selenium, so its manager never looks
 * for (or downloads) a browser or a driver.
 */
final class Browser implements AutoCloseable {
    private static final List<String> CHROMIUMS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    static final int WIDTH = 1000;

    private final WebDriver driver;
    private final String base;

    private Browser(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** The installed chromium and chromedriver, or empty when either is missing. */
    static Optional<Path[]> installation() {
        Optional<Path> chromium =
                CHROMIUMS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        Optional<Path> driver =
                DRIVERS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        return chromium.isPresent() && driver.isPresent()
                ? Optional.of(new Path[] {chromium.get(), driver.get()})
                : Optional.empty();
    }

    static Browser open(String base) {
        Path[] paths = installation().orElseThrow(() -> new IllegalStateException("no chromium installed"));
        System.setProperty("webdriver.chrome.driver", paths[1].toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(paths[0].toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=" + WIDTH + ",900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(paths[1].toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), base);
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Logs in as a user does with the link {@code ./campanile up} prints ({@code /login#key=...}): the login page keeps
     * the key, starts the session cookie and goes on to the jobs page.
     */
    void login(String key) {
        go("/login#key=" + key);
        await(Duration.ofSeconds(30), d -> path().startsWith("/login") ? null : Boolean.TRUE);
    }

    void go(String path) {
        driver.get(base + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** An attribute of the first element matching css, or null when there is none. */
    String attr(String css, String name) {
        List<WebElement> e = all(css);
        return e.isEmpty() ? null : e.get(0).getDomAttribute(name);
    }

    <T> T await(Duration atMost, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, atMost, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** A PNG of the page, as tall as its content (at most 1600 px), {@link #WIDTH} wide. */
    void screenshot(Path file) {
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(WIDTH, (int) Math.min(1600, Math.max(600, height))));
        js("window.scrollTo(0, 0); document.activeElement.blur()");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(new Dimension(WIDTH, 900));
        }
        System.out.println("screenshot " + file);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
