// createLeakDetector in hooks: each it() is one run of the work.
const { createLeakDetector } = require('leakls/test');

for (const name of ['leaky', 'fixed']) {
  describe(`sessions (${name}), one run per test`, function () {
    this.timeout(600_000);
    const detector = createLeakDetector({ iterations: 20, warmup: 3 });
    let sessions;
    before(async () => {
      sessions = await import(`../src/sessions-${name}.mjs`);
    });
    beforeEach(() => detector.before());
    afterEach(() => detector.after());
    after(() => detector.dispose());
    for (let i = 0; i < detector.runs; i++) {
      it(`opens and closes session ${i}`, () => {
        sessions.open(i);
        sessions.close(i);
      });
    }
  });
}
