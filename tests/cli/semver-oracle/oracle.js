// Reference answers for tests/cli/version_semver.sh: reads "A<TAB>B" lines on
// stdin and prints semver.compare(A, B) with loose:false as -1/0/1, or "ERR"
// when either side is invalid; after an ERR it adds the answer of loose mode
// ("ERR 1", or "ERR ERR"), which the test uses to judge our leniencies.
'use strict';
const semver = require('semver');
const lines = require('fs').readFileSync(0, 'latin1').split('\n');
if (lines.length && lines[lines.length - 1] === '') lines.pop();
const out = [];
const cmp = (a, b, loose) => {
  try {
    return String(semver.compare(a, b, loose));
  } catch (e) {
    return 'ERR';
  }
};
for (const line of lines) {
  const tab = line.indexOf('\t');
  if (tab < 0) {
    out.push('ERR ERR');
    continue;
  }
  const a = line.slice(0, tab), b = line.slice(tab + 1);
  const strict = cmp(a, b, false);
  out.push(strict === 'ERR' ? 'ERR ' + cmp(a, b, true) : strict);
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
