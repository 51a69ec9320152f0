// A worker thread of `kafka-sim check --workers N`: loads the TypeScript worker through tsx, as kafka-sim.js does.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/checkWorker.ts');
