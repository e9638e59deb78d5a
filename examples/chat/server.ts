// The chat server: GET /rooms/:room joins a room as an event stream, POST
// /rooms/:room sends a message. `--self-test` starts it on a free port,
// exercises both routes and exits 0 when a message made the round trip.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { historyOf, publish, remember } from './hub.ts';
import { join, keepAlive, Subscription } from './clients.ts';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, kind, room] = url.pathname.split('/');
  if (kind !== 'rooms' || !room) {
    res.statusCode = 404;
    res.end('not found\n');
    return;
  }
  if (req.method === 'POST') {
    const msg = { room, from: String(req.headers['x-user'] ?? 'anon'), text: await readBody(req), at: Date.now() };
    publish(msg);
    remember(msg);
    res.end('sent\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(`: ${historyOf(room).length} earlier messages\n\n`);
  if (url.searchParams.has('legacy')) {
    new Subscription(res, room);
    keepAlive(res);
  } else {
    join(room, res);
  }
}

export function start(port: number) {
  return createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.statusCode = 500;
      res.end(String(err) + '\n');
    });
  }).listen(port);
}

async function selfTest(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error('self-test: timed out');
    process.exit(1);
  }, 10_000);
  const server = start(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const received = new Promise<string>((resolve) => {
    request({ port, path: '/rooms/lobby?legacy' }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (chunk.startsWith('data:')) resolve(chunk);
      });
    }).end();
  });
  // Let the subscription reach the hub before sending.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise<void>((resolve, reject) => {
    const req = request({ port, method: 'POST', path: '/rooms/lobby', headers: { 'x-user': 'ada' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end('hello');
  });
  const chunk = await received;
  if (!chunk.includes('"text":"hello"')) {
    console.error(`self-test: unexpected event ${chunk}`);
    process.exit(1);
  }
  clearTimeout(deadline);
  console.log('self-test ok: message delivered');
  process.exit(0);
}

if (process.argv.includes('--self-test')) {
  void selfTest();
} else if (process.argv[1]?.endsWith('server.js')) {
  const port = Number(process.env.PORT) || 3001;
  start(port);
  console.log(`listening on http://localhost:${port}`);
}
