// Seeded with entries: lru-cache cannot take them, only the inline bound fits.
const aliases = new Map([['home', '/']]);

export function alias(name, path) {
  aliases.set(name, path); // want LK001 "aliases"
}
