// Buffers kept by module-level registries (ESM).
import { readFileSync } from 'node:fs';
import { registry } from './registry.mjs';

export function load(path) {
  const buffer = readFileSync(path);
  registry.set(path, () => buffer.length); // want LK004 "registry"
  const contents = readFileSync(path);
  setTimeout(() => console.log(contents.byteLength), 120000); // want LK004 "2-minute timeout"
  const size = contents.length;
  registry.set(path + ':size', () => size);
}

export function track(socket) {
  globalThis.onClose = () => socket.remoteAddress; // want LK004 "globalThis"
  registry.set(socket, () => socket.write('bye'));
}

export function later(body) {
  const wait = 60000;
  setTimeout(() => console.log(body.length), wait); // want LK004 "body.length"
}
