// ES module: window and document are long-lived; the teardown is a
// custom element's disconnectedCallback.
const handlers = new Set();

export class Widget extends HTMLElement {
  connectedCallback() {
    window.addEventListener('resize', this.onResize); // want LK008 "not removed by disconnectedCallback\\(\\)"
    document.addEventListener('keydown', this.onKey, true);
    handlers.add(this);
  }

  onResize = () => {};
  onKey = () => {};

  hide() {
    window.removeEventListener('resize', this.onResize);
    handlers.delete(this);
  }

  disconnectedCallback() {
    document.removeEventListener('keydown', this.onKey, true);
    handlers.delete(this);
  }
}
