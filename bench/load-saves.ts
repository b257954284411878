// Load generator for the respondent benchmark, in its own process so it does not share the server's event loop.
// Reads { base, tokens, seconds, connections, answers } as JSON on stdin; prints autocannon's result as JSON.
import autocannon from 'autocannon';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const { base, tokens, seconds, connections, answers } = JSON.parse(
  Buffer.concat(chunks).toString('utf8'),
) as {
  base: string;
  tokens: string[];
  seconds: number;
  connections: number;
  answers: Record<string, unknown>;
};
// Each request goes to the next link, so concurrent saves hit different responses, as real respondents do.
let n = 0;
const result = await autocannon({
  url: base,
  connections,
  duration: seconds,
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        n += 1;
        return {
          ...req,
          path: `/api/v1/respond/${tokens[n % tokens.length]}/answers`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answers, device: 'bench', page: 'about_you_2' }),
        };
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
