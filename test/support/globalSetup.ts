import { extractChromium } from './launchBrowser.ts';

// Unpacks the test browser once, before any test file runs (test/support/launchBrowser.ts).
export default async function setup(): Promise<void> {
  await extractChromium();
}
