// A secret the stack needs (a seed password, the Duo secret key, the Twilio auth token, SNS keys) is a sensitive
// Terraform variable: its value arrives as TF_VAR_<name> at plan and apply time and is never synthesized.
import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

/** The variable's value as a reference; one variable per name and stack, however many resources use it. */
export function sensitiveVariable(scope: Construct, name: string, description: string): string {
  const existing = scope.node.tryFindChild(name);
  if (existing instanceof TerraformVariable) return existing.stringValue;
  const variable = new TerraformVariable(scope, name, {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: `${description} (set TF_VAR_${name})`,
  });
  // The variable's name in Terraform must be exactly what TF_VAR_ refers to.
  variable.overrideLogicalId(name);
  return variable.stringValue;
}
