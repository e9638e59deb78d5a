// Runs but never prints a URL.
setInterval(() => {}, 1000);
