// A leakls scenario for the example service: one "action" is what a user
// does once — open a profile, watch live prices for a moment, follow a job
// and ask for a reminder. Run it with:
//
//   go run ./cmd/leakls run --scenario examples/service/scenario.mjs -- node examples/service/server.js
//
// leakls starts the server, calls action() many times between heap
// snapshots, and reports what the repeated actions left behind, on the
// lines of code that hold it.
import http from 'node:http';

// get requests path and resolves with the status code as soon as the first
// bytes of the body arrive; streaming responses are then closed, as a
// browser tab that navigates away would close them.
function get(base, method, path) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = http.request(url, { method, headers: { 'x-user': 'ada', 'x-session': 's1' } }, (res) => {
      res.once('data', () => {
        res.destroy();
        resolve(res.statusCode);
      });
      res.once('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function action(ctx) {
  const calls = [
    ['GET', `/users/${ctx.iteration}`],
    ['GET', '/prices/stream'],
    ['GET', `/jobs/${ctx.iteration}/watch`],
    ['POST', '/remind'],
  ];
  for (const [method, path] of calls) {
    const status = await get(ctx.url, method, path);
    if (status !== 200) throw new Error(`${method} ${path}: status ${status}`);
  }
}
