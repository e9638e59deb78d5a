// A leakls scenario for the example service: one "action" is what a user
// does once — open a profile, watch live prices for a moment, follow a job
// and ask for a reminder. Run it with:
//
//   go run ./cmd/leakls run --scenario examples/service/scenario.mjs -- node examples/service/server.js
//
// leakls starts the server, calls action() many times between heap
// snapshots, and reports what the repeated actions left behind, on the
// lines of code that hold it.
import { request } from './request.js';

export async function action(ctx) {
  const calls = [
    ['GET', `/users/${ctx.iteration}`],
    ['GET', '/prices/stream'],
    ['GET', `/jobs/${ctx.iteration}/watch`],
    ['POST', '/remind'],
  ];
  for (const [method, path] of calls) {
    const status = await request(ctx.url, method, path);
    if (status !== 200) throw new Error(`${method} ${path}: status ${status}`);
  }
}
