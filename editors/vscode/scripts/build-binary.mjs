// Puts the leakls server binary into bin/ for packaging: a copy of
// $LEAKLS_BINARY when it is set, else the release build of npm/build.sh,
// the one that makes the binaries of the npm packages (static, so that it
// runs on any Linux distribution). The package targets linux-x64.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bin', 'leakls');
mkdirSync(dirname(out), { recursive: true });
if (process.env.LEAKLS_BINARY) {
  copyFileSync(process.env.LEAKLS_BINARY, out);
} else {
  execFileSync('bash', [resolve(root, '..', '..', 'npm', 'build.sh'), 'linux-x64', out], { stdio: 'inherit' });
}
chmodSync(out, 0o755);
console.log(`build-binary: ${out}`);
