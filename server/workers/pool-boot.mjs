// First module of a piscina pool's worker threads: registers tsx's loader in the thread (loader hooks are per
// thread), then hands piscina the task function that the TypeScript entry named in `workerData.entry` exports.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const entry = await import(workerData.entry);
export default entry.default;
