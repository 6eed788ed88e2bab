// Lighthouse on several pages with one Node process and one Chromium: the command line starts
// both again for every page, which cost more than the audits themselves. The settings are the
// command line's defaults (mobile, simulated throttling), the categories the tests score.
// Usage: node tests/lighthouse-many.mjs OUT_DIR URL...   (CHROME_PATH names the browser)
// Writes OUT_DIR/<n>.json for the n-th URL, as `lighthouse --output=json` does.
import fs from "node:fs";
import path from "node:path";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [outDir, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
try {
  for (const [n, url] of urls.entries()) {
    const result = await lighthouse(url, {
      port: chrome.port, output: "json", logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
      disableFullPageScreenshot: true,   // a picture for the HTML report, which is not written
    });
    fs.writeFileSync(path.join(outDir, `${n}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
