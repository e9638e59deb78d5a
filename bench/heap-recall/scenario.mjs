// The one scenario of every case: an action is one GET /step, which runs
// one iteration of the case program's leaking path (see serve.js).
import http from 'node:http';

export function action(ctx) {
  return new Promise((resolve, reject) => {
    http.get(new URL('step', ctx.url), (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET /step: ${res.statusCode} ${body}`))));
    }).on('error', reject);
  });
}
