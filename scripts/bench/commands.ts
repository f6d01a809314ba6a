// The project's plan and deploy commands against their floor, measured in the same run: synth plus
// `terraform plan` / `terraform apply` run directly in an initialized stack folder. The commands do
// more (load and check the configuration, init, the plan as JSON, the report), and must stay within
// 1.3x of the floor. Rounds are interleaved so the machine's noise falls on both alike. Each deploy
// round has one change to apply (a seed user's use_mfa flips), for the floor and the command alike.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant } from '@auth0-mfa/local-tenant';
import { ROOT, stackDir, terraformOk } from '../../ops/stack-command/terraform';
import { fmt, median, timeCommand } from './measure';

export const TARGET = 1.3;

export interface CommandBench {
  label: string;
  floorLabel: string;
  command: number;
  floor: number;
  ratio: number;
}

export async function benchCommands(rounds: number): Promise<CommandBench[]> {
  const work = mkdtempSync(join(tmpdir(), 'bench-commands-'));
  const tenant = await startLocalTenant({ dir: join(work, 'tenant'), port: 0, quiet: true });
  const configDir = join(work, 'config');
  mkdirSync(configDir);
  const floorOut = join(work, 'floor');
  const dir = stackDir(floorOut, 'auth0-bench');
  const env = { ...tenant.env, TF_VAR_seed_user_password: 'Bench-Passw0rd!', CI: '' };
  let flag = true;
  const configure = () => {
    flag = !flag;
    const config = {
      domain: tenant.domain,
      users: [
        { email: 'alice@bench.example', useMfa: flag },
        { email: 'bob@bench.example', useMfa: false },
      ],
      backend: { type: 'local', path: join(work, 'terraform.tfstate') },
    };
    writeFileSync(join(configDir, 'bench.json'), JSON.stringify(config));
  };
  const node = (args: string[]) => timeCommand(process.execPath, args, { env, cwd: ROOT });
  const synth = () =>
    timeCommand(process.execPath, [join(ROOT, 'scripts', 'app', 'run.mjs')], {
      env: { ...env, CDKTF_OUTDIR: floorOut, CONFIG_DIR: configDir },
    });
  const tf = async (args: string[]) => {
    const start = performance.now();
    await terraformOk(dir, args, { env });
    return (performance.now() - start) / 1000;
  };
  const command = (file: string, args: string[]) =>
    node(['--import', 'tsx', join(ROOT, file), ...args, '--config-dir', configDir, '--quiet']);
  const report = join(work, 'report.md');
  const phases = {
    plan: {
      label: 'node --import tsx ops/plan/main.ts plan bench (npm run plan, without npm)',
      floorLabel: 'node scripts/app/run.mjs + terraform plan',
      floor: async () => (await synth()) + (await tf(['plan', '-input=false', '-no-color', '-lock=false'])),
      command: () => command('ops/plan/main.ts', ['plan', 'bench', '--report', report]),
    },
    deploy: {
      label: 'node --import tsx ops/deploy/main.ts bench (npm run deploy, without npm)',
      floorLabel: 'node scripts/app/run.mjs + terraform apply -auto-approve',
      floor: async () => {
        configure();
        return (await synth()) + (await tf(['apply', '-auto-approve', '-input=false', '-no-color']));
      },
      command: () => {
        configure();
        return command('ops/deploy/main.ts', ['bench', '--report', report]);
      },
    },
  };
  try {
    configure();
    await synth();
    await tf(['init', '-input=false', '-no-color']);
    await tf(['apply', '-auto-approve', '-input=false', '-no-color']);
    const samples = {
      plan: { floor: [] as number[], command: [] as number[] },
      deploy: { floor: [] as number[], command: [] as number[] },
    };
    for (let i = 0; i < rounds; i++) {
      for (const name of ['plan', 'deploy'] as const) {
        samples[name].floor.push(await phases[name].floor());
        samples[name].command.push(await phases[name].command());
      }
    }
    console.log(
      `plan and deploy commands against synth + terraform run directly (median of ${rounds} rounds)`,
    );
    return (['plan', 'deploy'] as const).map((name) => {
      const floor = median(samples[name].floor);
      const measured = median(samples[name].command);
      const ratio = measured / floor;
      const { label, floorLabel } = phases[name];
      console.log(`  floor: ${floorLabel.padEnd(56)} ${fmt(floor)}`);
      console.log(`  ${label.padEnd(63)} ${fmt(measured)}`);
      console.log(
        `  ${name} ratio = ${ratio.toFixed(2)} (target <= ${TARGET}): ${ratio <= TARGET ? 'met' : 'NOT met'}`,
      );
      return { label, floorLabel, command: measured, floor, ratio };
    });
  } finally {
    await tenant.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
