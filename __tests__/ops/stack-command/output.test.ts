// Every writer of the stack commands goes through the scrubber: the report file, stdout, the job
// summary, the data beside the report, the console, and Terraform's echoed output.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFileFor, say, writeData, writeReport } from '../../../ops/stack-command/output';
import { errorText, PipelineError } from '../../../ops/stack-command/pipeline';
import { run } from '../../../ops/stack-command/terraform';
import { tempDir } from '../../support/temp-dirs';

const SECRET = 'Out-Put-Secret-77';

describe('the writers', () => {
  const saved = { ...process.env };
  let stdout: string;
  let stderr: string;
  beforeEach(() => {
    process.env.AUTH0_CLIENT_SECRET = SECRET;
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  it('scrub the report file, the step summary and stdout', () => {
    const dir = tempDir('output-');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    process.env.GITHUB_STEP_SUMMARY = summary;
    writeReport(`secret ${SECRET}`, { report: join(dir, 'r.md'), stepSummary: true });
    writeReport(`secret ${SECRET}`, { stdout: true });
    for (const text of [readFileSync(join(dir, 'r.md'), 'utf8'), readFileSync(summary, 'utf8'), stdout]) {
      expect(text).toContain('secret ***');
      expect(text).not.toContain(SECRET);
    }
  });

  it('put the data beside the report, scrubbed', () => {
    const dir = tempDir('output-');
    expect(dataFileFor(join(dir, 'dev.md'))).toBe(join(dir, 'dev.json'));
    writeData(join(dir, 'dev.json'), { error: `refused ${SECRET}` });
    expect(JSON.parse(readFileSync(join(dir, 'dev.json'), 'utf8'))).toEqual({ error: 'refused ***' });
  });

  it('scrub console lines and the output a command echoes', async () => {
    say(`plan: failed with ${SECRET}`);
    const result = await run(
      process.execPath,
      [
        '-e',
        `process.stdout.write("a ${SECRET.slice(0, 8)}");setTimeout(()=>console.log("${SECRET.slice(8)} b"),20)`,
      ],
      {
        echo: true,
      },
    );
    expect(stderr).toBe('plan: failed with ***\n');
    expect(stdout).toBe('a *** b\n');
    // What run returns is Terraform's own text, for the caller to scrub where it writes it.
    expect(result.stdout).toContain(SECRET);
  });

  it('a failure carries its message and Terraform’s output', () => {
    expect(errorText(new PipelineError('terraform init (auth0-dev) failed (exit 1)', 'Error: x'))).toBe(
      'terraform init (auth0-dev) failed (exit 1)\n\nError: x',
    );
    expect(errorText('plain')).toBe('plain');
  });
});
