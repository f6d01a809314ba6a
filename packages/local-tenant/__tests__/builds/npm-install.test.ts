// How a failed npm run is told, from real execFile errors: output beyond maxBuffer (Node says only
// "stderr maxBuffer length exceeded"), a timeout, and npm's own error lines.
import { execFile } from 'node:child_process';
import { npmFailure } from '../../src/builds/npm-install';

type ExecError = Error & { code?: unknown; killed?: boolean };

function failedRun(script: string, options: { maxBuffer?: number; timeout?: number }): Promise<ExecError> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], options, (error) =>
      error ? resolve(error as ExecError) : reject(new Error('the child process was expected to fail')),
    );
  });
}

describe('npmFailure', () => {
  it('output beyond maxBuffer says so, not that npm ran out of time', async () => {
    const error = await failedRun("process.stderr.write('x'.repeat(4096))", { maxBuffer: 64 });
    expect(error.code).toBe('ERR_CHILD_PROCESS_STDIO_MAXBUFFER');
    expect(npmFailure(error, '', false)).toBe('npm install was stopped: it wrote more than 16 MiB of output');
  });

  it('a run killed by the timeout says it did not finish in time', async () => {
    const error = await failedRun('setTimeout(() => {}, 60_000)', { timeout: 200 });
    expect(error.killed).toBe(true);
    expect(npmFailure(error, '', false)).toBe('npm install did not finish within 300 s');
  });

  it("npm's own error lines, without its log pointers", () => {
    const stderr =
      'npm error code E404\nnpm error 404  Not Found - GET http://x/nope\nnpm error A complete log of this run can be found in: /tmp/_logs/x.log\n';
    expect(npmFailure(new Error('Command failed'), stderr, false)).toBe(
      'code E404 | Not Found - GET http://x/nope',
    );
  });
});
