// Exits before it serves anything.
console.error('config file missing');
process.exit(3);
