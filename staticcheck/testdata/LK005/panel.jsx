// JSX compiled to a CommonJS module without 'use strict'.
const React = require('react');

function Panel(props) {
  selected = props.items[0]; // want LK005 "selected"
  return <ul>{props.items.map((it) => <li key={it}>{it}</li>)}</ul>;
}

function StrictPanel(props) {
  'use strict';
  var chosen = props.items[0];
  return <p>{chosen}</p>;
}

module.exports = { Panel, StrictPanel };
