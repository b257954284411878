// Load generator for the respondent benchmark's "opening a link", in its own process (as load-saves.ts).
// Reads { base, tokens, seconds, connections } as JSON on stdin; prints autocannon's result as JSON.
import autocannon from 'autocannon';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const { base, tokens, seconds, connections } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
  base: string;
  tokens: string[];
  seconds: number;
  connections: number;
};
// What the respondent page asks for first: the link's view, its definition by URL (cached for good apart).
let n = 0;
const result = await autocannon({
  url: base,
  connections,
  duration: seconds,
  requests: [
    {
      method: 'GET',
      setupRequest: (req) => {
        n += 1;
        return { ...req, path: `/api/v1/respond/${tokens[n % tokens.length]}?definition=url` };
      },
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    average: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  }),
);
