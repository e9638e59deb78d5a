// TypeScript: subscriptions whose handle the instance keeps.
import { Subject, type Observable, type Subscription } from 'rxjs';

export class Panel {
  private sub?: Subscription;
  private off?: () => void;

  constructor(private readonly updates: Observable<string>, private readonly store: { subscribe(fn: () => void): () => void }) {
    this.sub = updates.subscribe((u) => this.render(u)); // want LK008 "subscription this.sub to updates in constructor\\(\\) is ended elsewhere but not by destroy\\(\\)"
    this.off = store.subscribe(() => this.render('store')); // want LK008 "subscription this.off to store"
  }

  render(_u: string): void {}

  pause(): void {
    this.sub?.unsubscribe();
    this.off?.();
  }

  destroy(): void {
    this.render('gone');
  }
}

// Symmetric; and a subject of its own, which dies with the instance.
export class Feed {
  private sub?: Subscription;
  private own?: Subscription;
  private readonly subject = new Subject<string>();

  constructor(private readonly updates: Observable<string>) {
    this.sub = updates.subscribe((u) => this.show(u));
    this.own = this.subject.subscribe((u) => this.show(u));
  }

  show(_u: string): void {}

  pause(): void {
    this.own?.unsubscribe();
  }

  dispose(): void {
    this.sub?.unsubscribe();
  }
}
