// `npm run dev`: the Svar server on :3000 and Vite's dev server with hot reload on :5173 (proxying /api to :3000).
import { spawn } from 'node:child_process';

const children = [
  spawn(process.execPath, ['bin/svar.js', 'start', '--demo-if-empty'], { stdio: 'inherit' }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--config', 'web/vite.config.ts'], {
    stdio: 'inherit',
  }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', (code) => code && stop());
