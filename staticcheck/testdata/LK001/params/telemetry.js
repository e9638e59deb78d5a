// CommonJS. rollbar's network telemetry (2.2.6): the `send` wrapper that
// instrumentNetwork() installs runs for every XHR and records each wrap
// in the instrumenter's own table.
function replace(obj, name, replacement, replacements, type) {
  var orig = obj[name];
  obj[name] = replacement(orig);
  if (replacements) {
    replacements[type].push([obj, name, orig]);
  }
}

function restore(replacements, type) {
  var b;
  while (replacements[type].length) {
    b = replacements[type].shift();
    b[0][b[1]] = b[2];
  }
}

function Instrumenter(window) {
  this._window = window;
  this.replacements = { network: [], log: [] };
}

Instrumenter.prototype.deinstrumentNetwork = function () {
  restore(this.replacements, 'network');
};

Instrumenter.prototype.instrumentNetwork = function () {
  var self = this;

  function wrapProp(prop, xhr) {
    if (prop in xhr) {
      replace(xhr, prop, function (orig) { // want LK001 "replace\\(\\) pushes onto its parameter \"replacements\", and this call hands it self.replacements, kept on the object instrumentNetwork\\(\\) runs on, on every call of the returned function it is in: each run adds an entry that nothing removes on those runs, alive as long as that object"
        return orig;
      }, self.replacements, 'network');
    }
  }

  var xhrp = this._window.XMLHttpRequest.prototype;
  // Wrapping the prototype once per instrumentation is bounded.
  replace(xhrp, 'send', function (orig) {
    return function (data) {
      wrapProp('onload', this);
      wrapProp('onerror', this);
      // Not recorded: the fixed shape.
      replace(this, 'onprogress', function (o) { return o; });
      return orig.apply(this, arguments);
    };
  }, this.replacements, 'network');
};

// A listener in a set-up method hands `this.replacements` (through an
// arrow function) on every message.
Instrumenter.prototype.instrumentLog = function (bus) {
  bus.on('message', (m) => {
    replace(m, 'toString', function (o) { return o; }, this.replacements, 'log'); // want LK001 "this.replacements, kept on the object instrumentLog\\(\\) runs on, on every \"message\" event"
  });
};

// A table the same listener empties again on each message is bounded.
Instrumenter.prototype.instrumentOnce = function (bus) {
  var self = this;
  bus.on('message', function (m) {
    replace(m, 'valueOf', function (o) { return o; }, self.replacements, 'log');
    restore(self.replacements, 'log');
  });
};

module.exports = Instrumenter;
