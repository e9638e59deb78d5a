export const registry = new Map();
