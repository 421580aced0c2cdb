// Runs the `egov` CLI against a node the way a user does, and reads its JSON answer.
import { execFile } from 'node:child_process';
import { cliBinary } from './dev-node.js';

/**
 * `egov --json --url <rpcUrl> ...args`: resolves with the last line of stdout parsed as
 * JSON; rejects with an error carrying the exit `code`, `stdout` and `stderr`.
 */
export function egov(rpcUrl, ...args) {
  return new Promise((resolve, reject) => {
    execFile(cliBinary(), ['--json', '--url', rpcUrl, ...args], { timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const e = new Error(`egov ${args.join(' ')} failed (${err.code}): ${stderr}${stdout}`);
        e.code = err.code;
        e.stdout = stdout;
        e.stderr = stderr;
        reject(e);
      } else {
        const last = stdout.trim().split('\n').pop();
        resolve(JSON.parse(last));
      }
    });
  });
}
