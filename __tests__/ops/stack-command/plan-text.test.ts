import { planText } from '../../../ops/stack-command/plan-text';

// `terraform plan -no-color -out=FILE` output and `terraform show -no-color FILE` of the same plan,
// as Terraform 1.11 printed them against the local tenant.
const BODY = `Terraform used the selected providers to generate the following execution
plan. Resource actions are indicated with the following symbols:
  ~ update in-place

Terraform will perform the following actions:

  # auth0_user.seed-users_user-a_3CC48414 will be updated in-place
  ~ resource "auth0_user" "seed-users_user-a_3CC48414" {
      ~ user_metadata   = jsonencode(
          ~ {
              ~ use_mfa = true -> false
            }
        )
    }

Plan: 0 to add, 1 to change, 0 to destroy.
`;

const PLAN = `auth0_user.seed-users_user-a_3CC48414: Refreshing state... [id=auth0|da87a811aacda25f6005391e]
auth0_guardian.mfa-policy_guardian_E2E31C6B: Refreshing state... [id=terraform-2026]
data.auth0_tenant.current: Reading...
data.auth0_tenant.current: Read complete after 0s [id=x]

${BODY}
─────────────────────────────────────────────────────────────────────────────

Saved the plan to: /tmp/auth0-dev-x/tfplan

To perform exactly these actions, run the following command to apply:
    terraform apply "/tmp/auth0-dev-x/tfplan"
`;

// What `terraform show` prints of the same plan.
const SHOW = `\n${BODY}`;

describe('planText', () => {
  it('is what `terraform show` prints: no refresh progress, no saved-plan footer', () => {
    expect(planText(PLAN)).toBe(SHOW);
  });

  it('keeps a plan without changes, and a separator that is part of the plan', () => {
    const none =
      'a.b: Refreshing state... [id=1]\n\nNo changes. Your infrastructure matches the configuration.\n';
    expect(planText(none)).toBe('\nNo changes. Your infrastructure matches the configuration.\n');
    const drift =
      'Note: Objects have changed outside of Terraform\n\n─────────────\n\nTerraform will perform\n';
    expect(planText(drift)).toBe(`\n${drift.trimEnd()}\n`);
  });
});
