// Shapes of published packages, reduced to a few lines. None of them is
// a leak; each once was a false positive of a draft of this rule.

// three's HTMLTexture: the local handler is kept on the instance, and the
// teardown removes it from there.
class HTMLTexture {
  constructor(dom) {
    this.dom = dom;
    const scheduleUpdate = () => this.update();
    dom.addEventListener('input', scheduleUpdate);
    this._scheduleUpdate = scheduleUpdate;
  }

  update() {}

  dispose() {
    this.dom.removeEventListener('input', this._scheduleUpdate);
  }
}

// three's Geometries: the listener, kept in a record, takes itself off.
class Geometries {
  initGeometry(geometry) {
    const data = {};
    data.onDispose = () => {
      geometry.removeEventListener('dispose', data.onDispose);
      this.forget(geometry);
    };
    geometry.addEventListener('dispose', data.onDispose);
  }

  forget() {}

  dispose() {}
}

// socket.io's Server: the set-up resets the server's request listeners
// before adding its own; that is no sign of a teardown to come.
class Server {
  attachServe(srv) {
    const evs = srv.listeners('request').slice(0);
    srv.removeAllListeners('request');
    srv.on('request', (req, res) => this.serve(req, res, evs));
  }

  serve() {}

  close() {
    this.engine.close();
  }
}

// A drag handler removes the listeners of one drag from a child element;
// the element dies with the panel.
class Panel {
  setupDrag(tab) {
    tab.button.addEventListener('click', () => this.select(tab));
    tab.button.addEventListener('pointerdown', () => {
      const onUp = () => {
        tab.button.removeEventListener('pointerup', onUp);
      };
      tab.button.addEventListener('pointerup', onUp);
    });
  }

  select() {}

  dispose() {}
}

module.exports = { HTMLTexture, Geometries, Server, Panel };

// mysql's Connection: this._socket comes from the options in the
// constructor, but connect() creates its own; and destroy() ends it, which
// ends its listeners too.
function Connection(options) {
  this._socket = options.socket;
  this._protocol = options.protocol;
}

Connection.prototype.connect = function () {
  this._socket = createConnection();
  this._socket.on('data', (data) => this._protocol.write(data));
  this._protocol.on('end', this._handleEnd.bind(this));
};

Connection.prototype._handleEnd = function () {};

Connection.prototype.pause = function () {
  this._socket.removeAllListeners('data');
  this._protocol.removeAllListeners('drain');
};

Connection.prototype.destroy = function () {
  this._socket.destroy();
  this._protocol.destroy();
};

function createConnection() {}

module.exports.Connection = Connection;

// three's Timer and Sculptor: symmetric connect()/disconnect(), with the
// handler bound once and kept on this, `false` as the capture flag on one
// side only, the element read back through a local, and the field let go
// with null. dispose() calls disconnect().
class Timer {
  connect(document) {
    this._document = document;
    this._onVisibility = this.onVisibility.bind(this);
    document.addEventListener('visibilitychange', this._onVisibility, false);
  }

  onVisibility() {}

  disconnect() {
    this._document.removeEventListener('visibilitychange', this._onVisibility);
    this._document = null;
  }

  dispose() {
    this.disconnect();
  }
}

class Sculptor {
  constructor() {
    this.domElement = null;
    this._onPointerDown = () => this.stroke();
  }

  connect(element) {
    if (this.domElement !== null) this.disconnect();
    this.domElement = element;
    element.addEventListener('pointerdown', this._onPointerDown);
  }

  stroke() {}

  disconnect() {
    const element = this.domElement;
    if (element === null) return;
    element.removeEventListener('pointerdown', this._onPointerDown);
    this.domElement = null;
  }

  dispose() {
    this.disconnect();
  }
}

module.exports.Timer = Timer;
module.exports.Sculptor = Sculptor;
