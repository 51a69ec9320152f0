import { existsSync } from 'node:fs';
import sparticuzChromium from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

// The browser the report and plot tests open pages in: the Chromium shipped inside the @sparticuz/chromium
// npm package, so `npm ci` is the whole set-up. It unpacks itself into the temp directory on first use
// (`extractChromium`, run once by vitest's global setup so parallel test files do not race to unpack it).
// KAFKA_SIM_CHROMIUM names another executable; Debian's /usr/bin/chromium is the fallback when unpacking fails.

/** The Chromium executable the tests launch, unpacked if needed. */
export async function extractChromium(): Promise<string> {
  const override = process.env.KAFKA_SIM_CHROMIUM;
  if (override) return override;
  try {
    return await sparticuzChromium.executablePath();
  } catch (error) {
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
    throw new Error(`launchBrowser: could not unpack @sparticuz/chromium (${(error as Error).message}) and /usr/bin/chromium is absent`, { cause: error });
  }
}

/** Launches headless Chromium for a test; the caller closes it. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await extractChromium();
  const args = executablePath === '/usr/bin/chromium' ? ['--no-sandbox', '--disable-gpu'] : sparticuzChromium.args;
  return chromium.launch({ executablePath, args, headless: true });
}
