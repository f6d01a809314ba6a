// `terraform plan -json`: Terraform's machine-readable UI, one JSON message a line (documented and versioned:
// "ui" 1.x). What it says before any second Terraform run is started: whether anything is planned or has
// drifted (an empty plan needs no `terraform show` at all), which resources are to be created (what orphan
// recovery looks up), and what a failure said. Each message also carries `@message`, the line
// Terraform's human output would print: that is what a person watching sees.

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  range?: { filename: string; start: { line: number } };
  snippet?: { context?: string | null; code?: string; start_line?: number };
}

interface ResourceRef {
  resource?: { addr?: string };
  action?: string;
}

interface Message {
  type?: string;
  '@message'?: string;
  terraform?: string;
  tofu?: string;
  change?: ResourceRef;
  diagnostic?: Diagnostic;
}

export interface PlannedChange {
  address: string;
  /** Terraform's action: create, update, delete, replace, read, noop, move, import, forget. */
  action: string;
}

export interface PlanStream {
  terraformVersion?: string;
  /** Resources changed outside Terraform (resource_drift), by address. */
  drifted: string[];
  /** The resource changes Terraform planned (planned_change). */
  planned: PlannedChange[];
  /** The output as a person reads it: each message's line, diagnostics in full, anything else as it came. */
  text: string;
}

/** A diagnostic as Terraform prints it for people: the summary, where, then the detail. */
export function renderDiagnostic({ severity, summary, detail, range, snippet }: Diagnostic): string {
  const lines = [`${severity === 'error' ? 'Error' : 'Warning'}: ${summary}`];
  if (range) {
    lines.push(
      '',
      `  on ${range.filename} line ${range.start.line}${snippet?.context ? `, in ${snippet.context}` : ''}:`,
    );
    if (snippet?.code) lines.push(`  ${snippet.start_line ?? range.start.line}: ${snippet.code}`);
  }
  if (detail) lines.push('', detail);
  return lines.join('\n');
}

function parse(line: string): Message | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const message = JSON.parse(line) as unknown;
    return typeof message === 'object' && message !== null ? (message as Message) : undefined;
  } catch {
    return undefined;
  }
}

/** The human line of one line of output: a message's own line, a diagnostic in full, other text as it is. */
export function humanLine(line: string): string {
  const message = parse(line);
  if (!message) return line;
  if (message.type === 'diagnostic' && message.diagnostic)
    return `\n${renderDiagnostic(message.diagnostic)}\n`;
  return message['@message'] ?? line;
}

export function readPlanStream(stdout: string): PlanStream {
  const stream: PlanStream = { drifted: [], planned: [], text: '' };
  const text: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    text.push(humanLine(line));
    const message = parse(line);
    const address = message?.change?.resource?.addr;
    switch (message?.type) {
      case 'version':
        // OpenTofu names itself in its own key.
        stream.terraformVersion = message.terraform ?? message.tofu;
        break;
      case 'resource_drift':
        if (address) stream.drifted.push(address);
        break;
      case 'planned_change':
        if (address) stream.planned.push({ address, action: message.change?.action ?? 'unknown' });
        break;
    }
  }
  stream.text = text.join('\n');
  return stream;
}
