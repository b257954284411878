// Load generator for the respondent benchmark, in its own process so it does not share the server's event loop.
// Reads { base, tokens, seconds, connections, answers, rate? } as JSON on stdin (rate: requests per second over all
// connections, for latency at a fixed load; absent: as fast as the server answers); prints autocannon's result.
import autocannon from 'autocannon';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const { base, tokens, seconds, warmup, connections, answers, rate } = JSON.parse(
  Buffer.concat(chunks).toString('utf8'),
) as {
  base: string;
  tokens: string[];
  seconds: number;
  warmup: number;
  connections: number;
  answers: Record<string, unknown>;
  rate?: number;
};
// Each request goes to the next link, so concurrent saves hit different responses, as real respondents do. The body
// is the same for every request: serialised once, so the generator spends its share of the cores on sending.
const body = JSON.stringify({ answers, device: 'bench', page: 'about_you_2' });
const headers = { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br' };
let n = 0;
// autocannon 9 runs a warm-up its type declarations do not list yet.
type WithWarmup = autocannon.Options & { warmup: { connections: number; duration: number } };
const options: WithWarmup = {
  url: base,
  connections,
  duration: seconds,
  // First `warmup` seconds not counted: caches filled and code compiled, as the raw baseline gets too.
  warmup: { connections, duration: warmup },
  ...(rate ? { overallRate: rate } : {}),
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        n += 1;
        return {
          ...req,
          path: `/api/v1/respond/${tokens[n % tokens.length]}/answers`,
          headers,
          body,
        };
      },
    },
  ],
};
const result = await autocannon(options);
process.stdout.write(
  JSON.stringify({
    average: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  }),
);
