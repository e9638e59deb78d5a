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
