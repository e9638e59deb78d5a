// An imported long-lived emitter: the class takes its listener off when it
// pauses, but not when it stops.
import { bus } from './bus.mjs';

export class Ticker {
  start() {
    bus.on('tick', this.onTick); // want LK008 "listener for \"tick\" added to bus in start\\(\\) is not removed by stop\\(\\), though bus outlives the instance"
    bus.on('tock', this.onTock);
  }

  onTick = () => {};
  onTock = () => {};

  pause() {
    bus.off('tick', this.onTick);
  }

  stop() {
    bus.off('tock', this.onTock);
  }
}
