// biome-ignore-all lint/performance/useDomNodeTextContent: the test reads text as rendered, which is what a person sees
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderReportHtml } from "@nocturne/core";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYLOAD, SAMPLE_SESSIONS, sampleReport } from "../../core/test/report/sample-report.js";

/** Debian's Chromium (`apt-get install -y chromium`); the test is skipped, saying so, when it is missing. */
const CHROMIUM = process.env.NOCTURNE_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(
    `Skipping the HTML report browser test: no Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium`,
  );
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe.skipIf(!available)("the HTML review report in headless Chromium", () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "nocturne-html-"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("renders a page a person can review, fetching nothing and running no script", async () => {
    const html = renderReportHtml(sampleReport(), {
      sessions: SAMPLE_SESSIONS,
      cost: { usd: 0.0421, note: "estimated at claude-sonnet-4-6 list prices" },
      before: [{ path: "/profile.md", content: "# About Priya\n\n- Priya lives in Lisbon, Portugal.\n" }],
      after: [{ path: "/profile.md", content: `# Profile\n\n- Priya lives in Berlin.\n- ${PAYLOAD}\n` }],
    });
    const file = join(dir, "report.html");
    await writeFile(file, html);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator("script, img, iframe, link").count()).toBe(0);

    expect(await page.title()).toBe("Dream drm_01sample — completed");
    expect(await page.locator("h1").innerText()).toContain("Dream drm_01sample");
    expect(await page.locator(".card.superseded .num").innerText()).toBe("3");
    expect(await page.locator(".card.merged .num").innerText()).toBe("1");
    const header = await page
      .locator("header.top")
      .evaluate(
        (element) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundImage: string } }).getComputedStyle(
            element,
          ).backgroundImage,
      );
    expect(header).toContain("linear-gradient");

    const change = page.locator("#superseded .change").filter({ hasText: "Lisbon" });
    expect(await change.locator(".old").innerText()).toBe("2026-09-01\nPriya lives in Lisbon, Portugal.");
    expect(await change.locator(".new").innerText()).toBe("2026-10-14\nPriya lives in Berlin.");
    expect(await page.locator("#insights").innerText()).toContain("from 2 sessions");
    expect(await page.locator("#dropped").innerText()).toContain("transient: a one-off debugging note");
    expect(await page.locator("#sessions").innerText()).toContain("time taken from the file's modification time");
    expect(await page.locator("#usage").innerText()).toContain("$0.04");

    expect(await page.getByText(PAYLOAD, { exact: true }).count()).toBeGreaterThan(0);
    const before = page.locator(".memory.input", { hasText: "/profile.md" }).locator("pre");
    expect(await before.isVisible()).toBe(false);
    await page.locator(".memory.input", { hasText: "/profile.md" }).locator("summary").click();
    expect(await before.innerText()).toContain("- Priya lives in Lisbon, Portugal.");

    const shot = join(dir, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    const size = pngSize(await readFile(shot));
    expect(size.width).toBe(1280);
    expect(size.height).toBeGreaterThan(900);
    await page.close();
  });
});
