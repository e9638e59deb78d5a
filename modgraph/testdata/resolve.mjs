// Resolves import edges with Node.js itself, to check the module graph
// against the runtime it models. Reads [{importer, specifier, kind}] as JSON
// on stdin and prints one answer per edge: {file} for a file, {builtin} for
// a Node built-in, or {error} with the error code Node gives.
//
// ESM edges use import.meta.resolve with a parent URL (node
// --experimental-import-meta-resolve); require edges use createRequire.
import { createRequire, isBuiltin } from 'node:module';
import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

let input = '';
for await (const chunk of process.stdin) input += chunk;

const answers = JSON.parse(input).map(({ importer, specifier, kind }) => {
  try {
    let resolved;
    if (kind === 'require') {
      resolved = createRequire(importer).resolve(specifier);
      if (isBuiltin(resolved)) return { builtin: resolved.replace(/^node:/, '') };
    } else {
      const url = import.meta.resolve(specifier, pathToFileURL(importer).href);
      if (url.startsWith('node:')) return { builtin: url.slice('node:'.length) };
      resolved = fileURLToPath(url);
    }
    return { file: realpathSync(resolved) };
  } catch (err) {
    return { error: err.code || String(err) };
  }
});
process.stdout.write(JSON.stringify(answers));
