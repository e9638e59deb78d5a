import { remember } from "./cache";
import { record } from "./history";
import { subscribe } from "./listener";
import { poll } from "./interval";
import { chain } from "./closure";
import { open } from "./store";
import { keep } from "somepkg";

class Upload {
  constructor(public id: number) {}
}

export function work(i: number): void {
  remember(i);
  record(i);
  subscribe(i);
  poll(i);
  chain(i);
  open(i);
  keep(new Upload(i));
}
