'use strict';
// A webpack plugin: taps on tapable hooks run on every compilation, and
// tapable has no way to take a tap off.

class AssetsPlugin {
  apply(compiler) {
    compiler.hooks.emit.tap('AssetsPlugin', (compilation) => {
      // A new tap on the long-lived compiler on every emit.
      compiler.hooks.assetEmitted.tapAsync('AssetsPlugin', (file, info, cb) => cb()); // want LK002 `tap added to long-lived hook compiler.hooks.assetEmitted on every call of hook compiler.hooks.emit`
      // The compilation is new each time: its hooks die with it.
      compilation.hooks.optimize.tap('AssetsPlugin', () => {});
    });
    // Tapped once, when the plugin is applied.
    compiler.hooks.done.tap('AssetsPlugin', (stats) => this.report(stats));
  }
  report() {}
}

module.exports = {
  toDisk(context) {
    for (const compiler of context.compilers) {
      compiler.hooks.emit.tap('ToDisk', () => {
        // Guarded by a flag on the compiler: tapped once per compiler.
        if (compiler.toDiskTapped) {
          return;
        }
        compiler.hooks.assetEmitted.tapAsync('ToDisk', (file, info, cb) => cb());
        compiler.toDiskTapped = true;
      });
      compiler.hooks.watchRun.tapPromise('ToDisk', async () => {
        compiler.hooks.afterEmit.tap('ToDisk', () => {}); // want LK002 "compiler.hooks.afterEmit"
      });
    }
  },
  AssetsPlugin,
};

// A guard on a flag local to the callback guards nothing.
function watch(compiler) {
  compiler.hooks.done.tap('Watch', () => {
    let tapped = false;
    if (tapped) {
      return;
    }
    compiler.hooks.invalid.tap('Watch', () => {}); // want LK002 "compiler.hooks.invalid"
    tapped = true;
  });
}
module.exports.watch = watch;

// tap() of other libraries is not a hook tap.
const _ = require('lodash');
function trace(value) {
  return _.tap(value, (v) => console.log(v));
}
module.exports.trace = trace;
