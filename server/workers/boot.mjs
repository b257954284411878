// First module of every worker thread: registers tsx's loader in the new thread (loader hooks are per thread),
// then runs the TypeScript entry the parent named.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
