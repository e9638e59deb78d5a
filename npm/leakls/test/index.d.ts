/** Options of a leak test. */
export interface LeakTestOptions {
  /** Runs between two heap snapshots (default 30); a leak must keep objects from at least this many runs. */
  iterations?: number;
  /** Runs before the first snapshot, so that caches and lazy loading settle (default 5). */
  warmup?: number;
  /** Heap snapshots (default 3, at least 3); a holder must grow between every two of them. */
  snapshots?: number;
  /** Aborts the test between runs and stops the leakls binary. */
  signal?: AbortSignal;
  /** The project directory that positions are shown relative to (default process.cwd()). */
  root?: string;
}

/** One hop of a retainer chain: the edge and the object it reaches. */
export interface RetainerHop {
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

/** A holder that retains more objects at every step. */
export interface Leak {
  /** The rule of leakls that names the kind of holder: LK101 (module variable) … LK105 (closure). */
  rule: string;
  /** The file of the holder, relative to the root when under it. */
  file?: string;
  /** 1-based line and column of the holder. */
  line?: number;
  column?: number;
  /** What holds the objects, e.g. "the module variable sessions". */
  holder?: string;
  /** What grows, e.g. "Session objects". */
  what?: string;
  /** Objects of the biggest class kept per run. */
  perIteration?: number;
  /** The finding's message as leakls wrote it. */
  message: string;
  /** The retainer chain from the holder to the objects. */
  chain: RetainerHop[];
}

/** What a leak test found: no leaks when it returns. */
export interface LeakReport {
  leaks: Leak[];
  iterations: number;
  snapshots: number;
}

/**
 * Runs fn `warmup` times, then `iterations` times between each two of
 * `snapshots` heap snapshots of this process, and throws an AssertionError
 * listing each leak as `file:line RULE what grows (+N per iteration)` and
 * its retainer chain when objects the runs created stay alive and grow at
 * every step. fn gets the number of the run.
 */
export function assertNoLeak(fn: (run: number) => unknown, options?: LeakTestOptions): Promise<LeakReport>;

/** Hooks around repeated work, for runners that prefer hooks. */
export interface LeakDetector {
  /** How many times the work must run between before() and after(). */
  readonly runs: number;
  /** Call before each run: writes a heap snapshot when one is due. */
  before(): Promise<void>;
  /** Call after each run: after the last, writes the final snapshot and throws on a leak; returns the report then. */
  after(): Promise<LeakReport | undefined>;
  /** Removes the snapshots of a detector whose runs did not finish. */
  dispose(): void;
}

/** Returns hooks that run the same leak test as assertNoLeak around work the runner repeats. */
export function createLeakDetector(options?: LeakTestOptions): LeakDetector;
