// electronegativity requires 'commander' without declaring it and was written for commander 5;
// the app's own commander (the jobdeck CLI's) is 14, whose API differs. Preloaded into the
// scanner's process only: its 'commander' resolves to the commander-v5 alias.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent && /[\\/]@doyensec[\\/]electronegativity[\\/]/.test(parent.filename ?? '')) {
    return resolve.call(this, 'commander-v5', parent, ...rest);
  }
  return resolve.call(this, request, parent, ...rest);
};
