// TypeScript rejects undeclared names at compile time.
export function handle(req: unknown): unknown {
  cached = req;
  return cached;
}
