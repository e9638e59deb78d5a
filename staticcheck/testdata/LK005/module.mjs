// ES modules are always strict.
export function handle(req) {
  cached = req;
  return cached;
}
