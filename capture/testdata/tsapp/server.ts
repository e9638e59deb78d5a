// A TypeScript server whose cache never evicts.
import * as http from 'node:http';
import { Cache } from './cache';

const cache = new Cache<string>();

const server = http.createServer((req: http.IncomingMessage, res: http.ServerResponse) => {
  cache.put(`${req.url}-${Math.random()}`, 'cached value '.repeat(100));
  res.end('ok\n');
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.address() as { port: number };
  console.log(`listening on http://127.0.0.1:${addr.port}/`);
});
