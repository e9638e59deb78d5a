'use strict';
// Finds the leakls binary for this platform: $LEAKLS_BINARY, else the one
// in the platform package (@leakls/<platform>-<arch>) that npm installed as an
// optional dependency of leakls.

const fs = require('node:fs');
const path = require('node:path');
const { version } = require('../package.json');

/** The platforms that have a package, as `${process.platform}-${process.arch}`. */
const platforms = ['linux-x64', 'linux-arm64', 'win32-x64', 'darwin-x64', 'darwin-arm64'];

/** BinaryNotFoundError says which binary is missing and how to get it. */
class BinaryNotFoundError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BinaryNotFoundError';
  }
}

/**
 * binaryPath returns the path of the leakls binary, or throws a
 * BinaryNotFoundError whose message says what to install.
 */
function binaryPath() {
  const override = process.env.LEAKLS_BINARY;
  if (override) {
    if (!fs.existsSync(override)) {
      throw new BinaryNotFoundError(`leakls: LEAKLS_BINARY is set to ${override}, which does not exist; unset it to use the binary of the platform package, or point it at a leakls binary`);
    }
    return override;
  }
  const platform = `${process.platform}-${process.arch}`;
  if (!platforms.includes(platform)) {
    throw new BinaryNotFoundError(`leakls: there is no leakls package for ${platform} (packages exist for ${platforms.join(', ')}); build leakls with Go (see https://github.com/leakls/leakls#set-up-building-from-source) and set LEAKLS_BINARY to its path`);
  }
  const pkg = `@leakls/${platform}`;
  const exe = process.platform === 'win32' ? 'leakls.exe' : 'leakls';
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new BinaryNotFoundError(`leakls: the package ${pkg}, which holds the leakls binary for ${platform}, is not installed. npm installs it with leakls unless optional dependencies are omitted (--omit=optional, --no-optional) or the lock file was made on another platform: run \`npm install --save-optional ${pkg}@${version}\`, or set LEAKLS_BINARY to a leakls binary`);
  }
}

module.exports = { binaryPath, BinaryNotFoundError, platforms, version };
