// Binds the Action to the Login flow (the post-login trigger), by reference to its id so that
// Terraform deploys the Action before it binds it.
import { Construct } from 'constructs';
import type { Action } from '../../.gen/providers/auth0/action';
import { TriggerAction } from '../../.gen/providers/auth0/trigger-action';
import { TriggerActions } from '../../.gen/providers/auth0/trigger-actions';
import type { EnvironmentConfig } from '../config/schema';
import { literal } from './terraform-literal';

export const LOGIN_TRIGGER = 'post-login';

export interface LoginFlowBindingProps {
  action: Action;
  displayName: string;
  binding: EnvironmentConfig['binding'];
  adopt: boolean;
}

export class LoginFlowBinding extends Construct {
  readonly resource: TriggerActions | TriggerAction;

  constructor(scope: Construct, id: string, { action, displayName, binding, adopt }: LoginFlowBindingProps) {
    super(scope, id);
    if (binding.mode === 'trigger-action') {
      // Appends our Action and leaves other teams' bindings alone.
      this.resource = new TriggerAction(this, 'binding', {
        trigger: LOGIN_TRIGGER,
        actionId: action.id,
        displayName: literal(displayName),
      });
      return;
    }
    // Owns the whole post-login list: bindings not listed here are removed on apply.
    const kept = (b: EnvironmentConfig['binding']['before'][number]) => ({
      id: literal(b.id),
      displayName: literal(b.displayName),
    });
    const resource = new TriggerActions(this, 'bindings', {
      trigger: LOGIN_TRIGGER,
      actions: [
        ...binding.before.map(kept),
        { id: action.id, displayName: literal(displayName) },
        ...binding.after.map(kept),
      ],
    });
    if (adopt) resource.importFrom(LOGIN_TRIGGER);
    this.resource = resource;
  }
}
