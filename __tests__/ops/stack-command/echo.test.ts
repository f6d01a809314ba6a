// What a person watching sees of `terraform plan -json` is each message decoded: the credential must be
// removed from the decoded text, not from its JSON form (Go's encoder writes `<` as \u003c, `"` as \").
import { humanLine } from '../../../ops/stack-command/plan-stream';
import { REDACTED } from '../../../ops/stack-command/scrub';
import { run } from '../../../ops/stack-command/terraform';

const SECRET = 'Pa<ss>"w0rd-with-markup';

describe('the echo of a JSON stream', () => {
  const saved = process.env.AUTH0_CLIENT_SECRET;
  beforeAll(() => {
    process.env.AUTH0_CLIENT_SECRET = SECRET;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.AUTH0_CLIENT_SECRET;
    else process.env.AUTH0_CLIENT_SECRET = saved;
  });

  it('is scrubbed after each line is decoded', async () => {
    const line =
      '{"@message":"Error: the secret Pa\\u003css\\u003e\\"w0rd-with-markup was refused","type":"log"}';
    const echoed: string[] = [];
    const result = await run(
      process.execPath,
      ['-e', `process.stdout.write(${JSON.stringify(`${line}\n`)})`],
      {
        echo: true,
        echoAs: humanLine,
        echoTo: (text) => echoed.push(text),
      },
    );
    expect(result.code).toBe(0);
    expect(echoed.join('')).toBe(`Error: the secret ${REDACTED} was refused\n`);
  });
});
