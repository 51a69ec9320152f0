// Loads the applications a scenario's `apps` name: a built-in by its name (builtinApps.ts), or a module by its path
// (resolved from the working directory), whose default export is the KafkajsApp. Loading is asynchronous (a module
// import), so it happens before the run starts, and a module that cannot be loaded fails the run before anything
// runs, naming the app and the path.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArgumentError } from '../kernel/argumentError.ts';
import { builtinApps, isBuiltinApp } from './builtinApps.ts';
import type { KafkajsApp } from './kafkajs.ts';

/** Each app's KafkajsApp, by its node id. */
export async function loadApps(apps: ReadonlyArray<{ id: string; app: string; settings?: Record<string, unknown> }>): Promise<Map<string, KafkajsApp>> {
  const loaded = new Map<string, KafkajsApp>();
  for (const [index, spec] of apps.entries()) {
    if (isBuiltinApp(spec.app)) {
      loaded.set(spec.id, builtinApps[spec.app].create(spec.settings));
      continue;
    }
    const path = resolve(spec.app);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    } catch (error) {
      throw new ArgumentError('scenario', `apps[${index}].app`, spec.app, `a module that loads (${path}: ${(error as Error).message.split('\n')[0]})`);
    }
    if (typeof module.default !== 'function') {
      throw new ArgumentError('scenario', `apps[${index}].app`, spec.app, 'a module whose default export is a function ({ kafka, recorder, settings, nodeId, incarnation }) => ...');
    }
    const app = module.default as (context: Parameters<KafkajsApp>[0] & { settings: Record<string, unknown> }) => unknown;
    const settings = spec.settings ?? {};
    loaded.set(spec.id, (context) => app({ ...context, settings }));
  }
  return loaded;
}
