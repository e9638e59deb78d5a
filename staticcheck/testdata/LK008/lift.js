// Reduced from the recall corpus (bench/recall/cases.json): sails and
// seneca add process signal listeners per app instance.

// sails 0.11.5 (before the fix): nothing removes them. That is LK002's
// finding ("on every call of lift()"), not LK008's.
class Sails {
  lift() {
    process.on('SIGUSR2', this.onReload);
  }

  onReload() {}

  lower() {
    this.server.close();
  }
}

// sails 0.12.0 (fixed): lower() removes what lift() added.
class FixedSails {
  lift() {
    this.onSignal = () => this.reload();
    process.on('SIGUSR2', this.onSignal);
  }

  reload() {}

  lower() {
    process.removeListener('SIGUSR2', this.onSignal);
  }
}

// seneca, as it would leak with a close() that forgets one of two signals
// it also removes when it restarts.
class Seneca {
  constructor() {
    this.onSigint = () => this.close();
    this.onSigterm = () => this.close();
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigterm); // want LK008 "listener for \"SIGTERM\" added to process in constructor\\(\\) is not removed by close\\(\\)"
  }

  restart() {
    process.removeListener('SIGTERM', this.onSigterm);
  }

  close() {
    process.removeListener('SIGINT', this.onSigint);
  }
}

module.exports = { Sails, FixedSails, Seneca };
