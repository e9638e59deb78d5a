// ES module: window and document are long-lived; the teardown is a
// custom element's disconnectedCallback.
const handlers = new Set();

export class Widget extends HTMLElement {
  connectedCallback() {
    window.addEventListener('resize', this.onResize); // want LK008 "not removed by disconnectedCallback\\(\\)"
    document.addEventListener('keydown', this.onKey, true);
    document.addEventListener('scroll', this.onScroll, { capture: true }); // want LK008 "removed in disconnectedCallback\\(\\) with another capture flag"
    handlers.add(this);
  }

  onResize = () => {};
  onKey = () => {};
  onScroll = () => {};

  hide() {
    window.removeEventListener('resize', this.onResize);
    handlers.delete(this);
  }

  disconnectedCallback() {
    document.removeEventListener('keydown', this.onKey, true);
    document.removeEventListener('scroll', this.onScroll);
    handlers.delete(this);
  }
}
