// `jq [FLAGS] FILTER` on stdin, with jq-web's build of jq: what /usr/bin/jq does, in a fresh process
// each time (jq-web keeps C stdio state between calls in one process: after a large input every later
// call reads nothing). Usage: node jq-web-cli.cjs FILTER [FLAGS...]
// jq-web reports jq's stderr through console.log; keep it off stdout.
console.log = (...args) => process.stderr.write(`${args.join(' ')}\n`);
const jq = require('jq-web');

const [filter, ...flags] = process.argv.slice(2);
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  jq.promised.raw(Buffer.concat(chunks).toString('utf8'), filter, flags).then(
    (output) => process.stdout.write(output.length > 0 ? `${output}\n` : ''),
    (error) => {
      process.stderr.write(`jq: error: ${error.message}\n`);
      process.exit(5);
    },
  );
});
