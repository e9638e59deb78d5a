// "type": "module" makes this .js file an ES module: strict, so the
// undeclared assignment throws instead of creating a global.
function handle(req) {
  current = req;
  return current;
}

handle({});
