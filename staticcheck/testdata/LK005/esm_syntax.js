// import/export make this a module: strict.
import { readFile } from 'node:fs/promises';

export async function load(path) {
  contents = await readFile(path, 'utf8');
  return contents;
}
