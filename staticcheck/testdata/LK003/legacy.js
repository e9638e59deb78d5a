// A sloppy browser script.
var ticker = setInterval(function () { // want LK003 "ticker"
  document.title = new Date().toString();
}, 1000);

function Carousel(el) {
  this.el = el;
  this.timer = setInterval(this.next.bind(this), 3000);
}
Carousel.prototype.next = function () {};
Carousel.prototype.destroy = function () {
  clearInterval(this.timer);
};

function animate() {
  window.setInterval(function () {}, 16); // want LK003 "animate"
}
document.addEventListener('click', animate);
