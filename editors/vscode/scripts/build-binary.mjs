// Puts the leakls server binary into bin/ for packaging: a copy of
// $LEAKLS_BINARY when it is set, else a build of ../../cmd/leakls with go.
// The package targets linux-x64, so this runs on linux-x64 only (the server
// uses cgo, which does not cross-compile without a C cross-compiler).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bin', 'leakls');
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`build-binary: the package is for linux-x64; this is ${process.platform}-${process.arch}. Build on linux-x64 or set LEAKLS_BINARY to a linux-x64 leakls binary.`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
if (process.env.LEAKLS_BINARY) {
  copyFileSync(process.env.LEAKLS_BINARY, out);
} else {
  execFileSync('go', ['build', '-trimpath', '-o', out, './cmd/leakls'], {
    cwd: resolve(root, '..', '..'),
    stdio: 'inherit',
    env: { ...process.env, CGO_ENABLED: '1' },
  });
}
chmodSync(out, 0o755);
console.log(`build-binary: ${out}`);
