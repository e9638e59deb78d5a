// TypeScript. Replace without release, with typed fields and private
// methods.
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { WebSocket } from 'ws';

class Tunnel {
  private ws: WebSocket | null = null;
  private poller: NodeJS.Timeout;

  constructor(private readonly url: string) {
    this.poller = setInterval(() => this.refresh(), 30_000);
  }

  private refresh(): void {
    this.ws = new WebSocket(this.url); // want LK008 "this.ws is replaced with a new WebSocket in refresh\\(\\)"
    this.ws.on('message', (data) => this.forward(data));
  }

  private forward(data: unknown): void {}

  dispose(): void {
    clearInterval(this.poller);
    this.ws?.close();
  }
}

export class Upstream extends EventEmitter {
  private socket?: Socket;

  constructor(private port: number) {
    super();
  }

  // Called for every 'failover' message.
  failover(host: string): void {
    this.socket = new Socket(); // want LK008 "this.socket is replaced with a new Socket in failover\\(\\)"
    this.socket.connect(this.port, host);
  }

  end(): void {
    this.socket!.end();
  }
}

export class Channel {
  private conn: Connection;

  constructor() {
    this.conn = new Connection();
  }

  async resubscribe(topic: string): Promise<void> {
    this.conn = new Connection(); // want LK008 "this.conn is replaced with a new Connection in resubscribe\\(\\)"
    await this.conn.subscribe(topic);
  }

  quitAll(): void {
    this.conn.quit();
  }
}

export class Player {
  private proc: ChildLike | null = null;

  constructor() {}

  play(track: string): void {
    this.proc = new ChildLike(track); // want LK008 "this.proc is replaced with a new ChildLike in play\\(\\)"
  }

  stop(): void {
    this.proc?.kill();
  }
}

// --- not reported ---

export class Careful {
  private ws: WebSocket | null = null;

  constructor(private readonly url: string) {}

  refresh(): void {
    this.ws?.close();
    this.ws = new WebSocket(this.url);
  }

  dispose(): void {
    this.ws?.close();
  }
}

export class Lazy {
  private conn?: Connection;

  constructor() {}

  get(): Connection {
    return this.conn ?? (this.conn = new Connection());
  }

  close(): void {
    this.conn?.quit();
  }
}

export class Once {
  private conn!: Connection;

  constructor() {}

  init(): void {
    this.conn = new Connection();
  }

  start(): void {
    this.conn = new Connection();
  }

  destroy(): void {
    this.conn.quit();
  }
}

export class Redialing {
  private socket: Socket;

  constructor(private port: number) {
    this.socket = new Socket();
    this.socket.on('error', () => {
      this.socket = new Socket();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

class Connection {
  async subscribe(topic: string): Promise<void> {}
  quit(): void {}
}

class ChildLike {
  constructor(readonly track: string) {}
  kill(): void {}
}

export { Tunnel };
