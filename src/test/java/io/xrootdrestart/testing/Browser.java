package io.xrootdrestart.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver with Selenium: both named by
 * path, so Selenium Manager never runs (it would download a driver). Each browser has a fresh
 * profile, removed on close. Screenshots go to {@code target/status-page/}, for the reader of a
 * failing run.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SHOTS = Path.of("target/status-page").toAbsolutePath();

  private final ChromeDriver driver;
  private final Path profile;
  private final String prefix;

  private Browser(ChromeDriver driver, Path profile, String prefix) {
    this.driver = driver;
    this.profile = profile;
    this.prefix = prefix;
  }

  /**
   * @param prefix of this browser's screenshot names (the test class)
   * @param env extra environment of the browser (TZ, to check times are shown in the browser's
   *     zone)
   */
  public static Browser start(String prefix, Map<String, String> env) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing: apt-get install -y chromium"
              + " chromium-driver (testing/install-deps installs them)");
    }
    try {
      Path profile = Files.createTempDirectory("xrootdrestart-chromium-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      // As root, chromium needs --no-sandbox; the rest keeps it from calling home or updating
      // itself.
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--user-data-dir=" + profile,
          "--window-size=1280,900",
          "--lang=en-GB");
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .withEnvironment(env)
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver
          .manage()
          .timeouts()
          .scriptTimeout(Duration.ofSeconds(10))
          .pageLoadTimeout(Duration.ofSeconds(20));
      Files.createDirectories(SHOTS);
      return new Browser(driver, profile, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  @SuppressWarnings("unchecked")
  public <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  // The page redraws itself when /status changes: these read in one script call, so that an element
  // redrawn between finding it and reading it cannot go stale.

  /** The text of the first element matching {@code css}, or "" when there is none. */
  public String text(String css) {
    return js("const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css);
  }

  /** An attribute of the first element matching {@code css}, or null. */
  public String attr(String css, String name) {
    return js(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) :"
            + " null",
        css,
        name);
  }

  /** An attribute of every element matching {@code css}, in document order. */
  public List<String> attrs(String css, String name) {
    return js(
        "return [...document.querySelectorAll(arguments[0])].map(e =>"
            + " e.getAttribute(arguments[1]))",
        css,
        name);
  }

  /**
   * A computed style property ("background-color") of the first element matching {@code css}, or
   * null.
   */
  public String style(String css, String property) {
    return js(
        "const e = document.querySelector(arguments[0]);"
            + " return e ? getComputedStyle(e).getPropertyValue(arguments[1]) : null",
        css,
        property);
  }

  /**
   * Clicks (taps) the first element matching {@code css}, again if the page redrew it meanwhile.
   */
  public void click(String css) {
    await(
        "something to click at " + css,
        5,
        d -> {
          List<WebElement> found = all(css);
          if (found.isEmpty()) {
            return false;
          }
          found.get(0).click();
          return true;
        });
  }

  /**
   * Waits until {@code condition} gives a value other than null or false. On a timeout, saves a
   * screenshot {@code NAME-timeout.png} and fails with the page's text.
   */
  public <T> T await(String what, int seconds, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100))
          .ignoring(StaleElementReferenceException.class)
          .until(condition::apply);
    } catch (TimeoutException e) {
      Path shot = screenshot(what.replaceAll("[^A-Za-z0-9]+", "-") + "-timeout");
      throw new AssertionError(
          "no "
              + what
              + " within "
              + seconds
              + " s (screenshot "
              + shot
              + "); the page says:\n"
              + driver.findElement(By.tagName("body")).getText(),
          e);
    }
  }

  /** A screenshot of the whole page as it is now, in {@code target/status-page/PREFIX-NAME.png}. */
  public Path screenshot(String name) {
    Dimension before = driver.manage().window().getSize();
    try {
      long height = js("return Math.min(6000, document.documentElement.scrollHeight + 120)");
      driver
          .manage()
          .window()
          .setSize(new Dimension(before.getWidth(), (int) Math.max(height, before.getHeight())));
      Path file = SHOTS.resolve(prefix + "-" + name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  /**
   * Makes the window {@code width} CSS pixels wide (a phone) and lists what sticks out
   * horizontally: the page itself if it scrolls sideways, and every visible element beyond the left
   * or right edge. Empty when nothing does. Saves a screenshot {@code NAME.png} of the page at that
   * width.
   */
  public List<String> overflowAt(int width, String name) {
    driver.manage().window().setSize(new Dimension(width, 800));
    long inner = js("return window.innerWidth");
    if (inner > width) {
      throw new IllegalStateException(
          "the window is " + inner + " px wide, not " + width + ": chromium refused the size");
    }
    screenshot(name);
    return js(
        """
        const w = document.documentElement.clientWidth;
        const out = [];
        if (document.documentElement.scrollWidth > w) out.push('the page scrolls sideways: '
            + document.documentElement.scrollWidth + ' px in a ' + w + ' px window');
        for (const e of document.body.querySelectorAll('*')) {
          const r = e.getBoundingClientRect();
          if (r.width > 0 && r.height > 0 && (r.right > w + 0.5 || r.left < -0.5)) {
            out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' from ' + Math.round(r.left)
                + ' to ' + Math.round(r.right) + ' px: ' + (e.textContent || '').slice(0, 60));
          }
        }
        return out;\
        """);
  }

  /** The page's DOM as it is now, as HTML with its doctype, for the validator. */
  public String renderedHtml() {
    return js("return '<!DOCTYPE html>\\n' + document.documentElement.outerHTML");
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> walk = Files.walk(profile)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory: nothing more to do
      }
    }
  }
}
