// Submit load for the respondent benchmark, in its own process beside the save load: { base, tokens, seconds,
// perSecond } as JSON on stdin; sends one submit every 1/perSecond s to the next link (each already holds full,
// valid answers) and prints { sent, ok, non2xx, p50, p99 } as JSON.
const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const { base, tokens, seconds, perSecond } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
  base: string;
  tokens: string[];
  seconds: number;
  perSecond: number;
};

const latencies: number[] = [];
let ok = 0;
let non2xx = 0;
const inFlight: Promise<void>[] = [];
const submit = async (token: string) => {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/respond/${token}/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await res.arrayBuffer();
  latencies.push(performance.now() - t0);
  if (res.ok) ok += 1;
  else non2xx += 1;
};
// A fixed arrival rate (an open model): submits do not wait for each other, as respondents do not.
const count = Math.min(tokens.length, Math.floor(seconds * perSecond));
const t0 = performance.now();
for (let i = 0; i < count; i += 1) {
  const wait = t0 + (i * 1000) / perSecond - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  inFlight.push(
    submit(tokens[i]!).catch(() => {
      non2xx += 1;
    }),
  );
}
await Promise.all(inFlight);
latencies.sort((a, b) => a - b);
const at = (p: number) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
process.stdout.write(JSON.stringify({ sent: count, ok, non2xx, p50: at(0.5), p99: at(0.99) }));
