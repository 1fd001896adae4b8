// Playwright runs Debian's Chromium (never a downloaded browser) against the
// release build in ../dist, served under the sub-path /chainclass/.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 2,
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? "artifacts/e2e-results.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/chainclass/`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
  webServer: {
    command: `node serve.mjs`,
    env: { PORT: String(port), BASE_PATH: "/chainclass/" },
    url: `http://127.0.0.1:${port}/chainclass/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
