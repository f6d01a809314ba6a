// The project's plan and deploy commands against their floor, measured in the same run: synth plus
// `terraform plan` / `terraform apply` run directly in an initialized stack folder. The commands do
// more (load and check the configuration, init, read the plan, the report), and must stay within
// 1.3x of the floor. Each command is timed as the launcher runs it (what its npm script runs) and
// through npm, and the cdktf CLI's `cdktf diff` of the same stack beside `npm run plan`. Rounds are
// interleaved so the machine's noise falls on all alike. Each deploy round has one change to apply
// (a seed user's use_mfa flips), for the floors and the commands alike.
//
// A deploy applies the saved plan it reported (plan -out, then apply PLANFILE: HashiCorp's workflow for
// running Terraform in automation), where the floor applies in one run (apply -auto-approve)
// and so never saves a plan. The deploy is measured against both floors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalTenant } from '@auth0-mfa/local-tenant';
import { privateFolder } from '../../ops/stack-command/interrupts';
import { stackDir, terraformOk, toolEnv } from '../../ops/stack-command/terraform';
import { PROJECT_ROOT } from '../../src/paths';
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
  const { path: work, remove: removeFolder } = privateFolder('bench-commands-');
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
  const launcher = join(PROJECT_ROOT, 'scripts', 'app', 'run.mjs');
  const synth = () =>
    timeCommand(process.execPath, [launcher], {
      env: { ...env, CDKTF_OUTDIR: floorOut, CONFIG_DIR: configDir },
    });
  const tf = async (args: string[]) => {
    const start = performance.now();
    await terraformOk(dir, args, { env, allowedCodes: [2] });
    return (performance.now() - start) / 1000;
  };
  const planFile = join(work, 'tfplan');
  // The Terraform runs the commands make: an empty plan is read from plan -json's own stream; a plan with
  // changes is read back with show -json and show (side by side) for the report, then applied as saved.
  const jsonPlan = () =>
    tf(['plan', '-json', '-input=false', '-lock=false', '-detailed-exitcode', `-out=${planFile}`]);
  const readBack = async () => {
    const start = performance.now();
    await Promise.all([
      terraformOk(dir, ['show', '-json', planFile], { env }),
      terraformOk(dir, ['show', '-no-color', planFile], { env }),
    ]);
    return (performance.now() - start) / 1000;
  };
  const report = join(work, 'report.md');
  const common = ['--config-dir', configDir, '--quiet', '--report', report];
  // What `npm run plan|deploy` run (package.json), first without npm's own start-up, then through npm.
  const command = (file: string, args: string[]) =>
    timeCommand(process.execPath, [launcher, file, ...args, ...common], { env, cwd: PROJECT_ROOT });
  const npmRun = (script: string) =>
    timeCommand('npm', ['run', '--silent', script, '--', 'bench', ...common], { env, cwd: PROJECT_ROOT });
  // The cdktf CLI's no-change plan of the same stack, offline as the README says (.tools/env.sh).
  const cdktfDiff = () =>
    timeCommand(
      'npx',
      ['cdktf', 'diff', 'auth0-bench', '--skip-provider-lock', '--output', join(work, 'cdktf.out')],
      {
        env: { ...env, ...toolEnv(), CONFIG_DIR: configDir, CI: '1', DISABLE_VERSION_CHECK: '1' },
        cwd: PROJECT_ROOT,
      },
    );
  const applyFloor = async () => {
    configure();
    return (await synth()) + (await tf(['apply', '-auto-approve', '-input=false', '-no-color']));
  };
  const phases = {
    plan: {
      floorLabel: 'node scripts/app/run.mjs + terraform plan',
      floor: async () => (await synth()) + (await tf(['plan', '-input=false', '-no-color', '-lock=false'])),
      variants: [
        {
          label: 'node scripts/app/run.mjs ops/plan/main.ts plan bench (npm run plan, without npm)',
          run: () => command('ops/plan/main.ts', ['plan', 'bench']),
        },
        { label: 'npm run plan -- bench', run: () => npmRun('plan') },
        {
          label: 'the same Terraform runs, directly: synth + plan -json -out (an empty plan)',
          run: async () => (await synth()) + (await jsonPlan()),
        },
      ],
    },
    deploy: {
      floorLabel: 'node scripts/app/run.mjs + terraform apply -auto-approve',
      floor: applyFloor,
      variants: [
        {
          label: 'node scripts/app/run.mjs ops/deploy/main.ts bench (npm run deploy, without npm)',
          run: () => {
            configure();
            return command('ops/deploy/main.ts', ['bench']);
          },
        },
        {
          label: 'npm run deploy -- bench',
          run: () => {
            configure();
            return npmRun('deploy');
          },
        },
        {
          label: 'the same Terraform runs, directly: synth + plan -json -out, then apply | show -json | show',
          run: async () => {
            configure();
            const planned = (await synth()) + (await jsonPlan());
            const start = performance.now();
            await Promise.all([readBack(), tf(['apply', '-input=false', '-no-color', planFile])]);
            return planned + (performance.now() - start) / 1000;
          },
        },
        {
          label: 'floor of a saved plan: node scripts/app/run.mjs + terraform plan -out + apply PLANFILE',
          run: async () => {
            configure();
            return (
              (await synth()) +
              (await tf(['plan', '-input=false', '-no-color', `-out=${planFile}`])) +
              (await tf(['apply', '-input=false', '-no-color', planFile]))
            );
          },
        },
      ],
    },
  };
  try {
    configure();
    await synth();
    await tf(['init', '-input=false', '-no-color']);
    await tf(['apply', '-auto-approve', '-input=false', '-no-color']);
    await cdktfDiff(); // its own init of its output folder, once, as the floor's stack was initialized
    const names = ['plan', 'deploy'] as const;
    const samples = Object.fromEntries(
      names.map((name) => [
        name,
        { floor: [] as number[], variants: phases[name].variants.map(() => [] as number[]) },
      ]),
    ) as Record<(typeof names)[number], { floor: number[]; variants: number[][] }>;
    const cli: number[] = [];
    for (let i = 0; i < rounds; i++) {
      for (const name of names) {
        samples[name].floor.push(await phases[name].floor());
        for (const [v, variant] of phases[name].variants.entries())
          samples[name].variants[v].push(await variant.run());
      }
      cli.push(await cdktfDiff());
    }
    console.log(
      `plan and deploy commands against synth + terraform run directly (median of ${rounds} rounds)`,
    );
    const results = names.map((name) => {
      const floor = median(samples[name].floor);
      const { floorLabel, variants } = phases[name];
      console.log(`  floor: ${floorLabel.padEnd(73)} ${fmt(floor)}`);
      const measured = variants.map((variant, v) => {
        const seconds = median(samples[name].variants[v]);
        console.log(`  ${variant.label.padEnd(80)} ${fmt(seconds)}  ${(seconds / floor).toFixed(2)}x`);
        return seconds;
      });
      const ratio = measured[0] / floor;
      console.log(
        `  ${name} command / the same Terraform runs = ${(measured[0] / measured[2]).toFixed(2)} (the command's own share)`,
      );
      console.log(
        `  ${name} ratio = ${ratio.toFixed(2)} (target <= ${TARGET}): ${ratio <= TARGET ? 'met' : 'NOT met'}`,
      );
      if (measured[3] !== undefined) {
        const saved = measured[0] / measured[3];
        console.log(
          `  ${name} ratio against the saved-plan floor = ${saved.toFixed(2)} (target <= ${TARGET}): ${saved <= TARGET ? 'met' : 'NOT met'}`,
        );
      }
      return { label: variants[0].label, floorLabel, command: measured[0], floor, ratio };
    });
    const diff = median(cli);
    const npmPlan = median(samples.plan.variants[1]);
    console.log("the cdktf CLI against the project's command, the same no-change plan of the same stack");
    console.log(
      `  ${'npx cdktf diff auth0-bench --skip-provider-lock (.tools/env.sh)'.padEnd(80)} ${fmt(diff)}`,
    );
    console.log(`  ${'npm run plan -- bench'.padEnd(80)} ${fmt(npmPlan)}`);
    console.log(
      `  cdktf diff / npm run plan = ${(diff / npmPlan).toFixed(2)}: the CLI adds ${fmt(diff - npmPlan)} per command`,
    );
    return results;
  } finally {
    await tenant.stop();
    removeFolder();
  }
}
