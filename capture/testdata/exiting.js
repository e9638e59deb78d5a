// Serves until it is asked for /exit, then exits (and, with a debugger
// attached, waits for it to disconnect).
const http = require('node:http');
const server = http.createServer((q, s) => s.end('ok', () => { if (q.url === '/exit') process.exit(0); }));
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port + '/'));
