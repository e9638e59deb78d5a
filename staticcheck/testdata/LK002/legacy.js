// A sloppy-mode browser script.
function Widget(el) {
  window.addEventListener('resize', function () { // want LK002 "window"
    el.style.width = window.innerWidth + 'px';
  });
  el.addEventListener('click', function () {
    el.classList.toggle('open');
  });
}

document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('.widget').forEach(function (el) {
    new Widget(el);
  });
});

// Handlers bound once and added to an EventTarget: adding the same
// function again is a no-op, and the handler is removed on pointerup.
function Controls(dom) {
  this.onMove = onPointerMove.bind(this);
  this.onUp = onPointerUp.bind(this);
  dom.addEventListener('pointerdown', onPointerDown.bind(this));
}
function onPointerDown() {
  window.addEventListener('pointermove', this.onMove);
  window.addEventListener('pointerup', this.onUp);
}
function onPointerUp() {
  window.removeEventListener('pointermove', this.onMove);
  window.removeEventListener('pointerup', this.onUp);
}
function onPointerMove() {}

// An exported class whose init() adds to process: one listener per
// instance, and the program may create any number of them.
class Reporter {
  init() {
    process.on('uncaughtException', (err) => this.report(err)); // want LK002 `by init\(\) of every Reporter instance`
  }
  report() {}
}
window.Reporter = Reporter;
