// Starts a child (in the program's process group) and serves nothing
// else: the child must be stopped with the program. With
// LEAKLS_TEST_PIDFILE set, writes its pid there.
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', env: {} });
console.error(`child ${child.pid}`);
if (process.env.LEAKLS_TEST_PIDFILE) {
  require('node:fs').writeFileSync(process.env.LEAKLS_TEST_PIDFILE, String(process.pid));
}
const server = http.createServer((req, res) => res.end('ok\n'));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
