// Terraform reads every string of a .tf.json file as a template: `${...}` is an expression and `%{...}` a
// directive. A string taken from the configuration or the Action source would be evaluated (a seed user's name
// could read a file or the environment into the plan), so each one goes through `literal()` on its way into a
// resource. Doubling the first character is Terraform's own escape: `$${` is the text `${`, `%%{` is `%{`.
//
// Not cdktf's Fn.rawString: it leaves `%{` alone and writes newlines and quotes as `\n` and `\"`, which Terraform's
// JSON syntax keeps as backslashes (it is meant for strings inside HCL expressions), so Action code would break.
// Not for backend settings either: Terraform reads those without evaluating them, so an escape would stay in.
import { Token } from 'cdktf';

export function literal(text: string): string {
  if (Token.isUnresolved(text)) {
    throw new Error(`literal() takes text from the configuration, not a Terraform reference: ${text}`);
  }
  return text.replace(/([$%])\{/g, '$1$1{');
}
