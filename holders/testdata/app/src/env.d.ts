// The few Node.js declarations the fixture uses, so that tsc compiles it
// without @types/node.
declare module "node:events" {
  export class EventEmitter {
    on(event: string, listener: (...args: unknown[]) => void): this;
    setMaxListeners(n: number): this;
  }
}

declare function setInterval(handler: () => void, ms: number): unknown;
