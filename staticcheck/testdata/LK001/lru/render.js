const express = require('express');

const app = express();
const pages = new Map();

app.get('/page/:slug', async (req, res) => {
  if (!pages.has(req.params.slug)) {
    pages.set(req.params.slug, await render(req.params.slug)); // want LK001 "pages"
  }
  res.send(pages.get(req.params.slug));
});

async function render(slug) {
  return `<h1>${slug}</h1>`;
}

module.exports = app;
