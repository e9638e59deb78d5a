// The ES module entry of leakls/test: the same functions as the CommonJS one.
import cjs from './index.js';

export const { assertNoLeak, createLeakDetector } = cjs;
