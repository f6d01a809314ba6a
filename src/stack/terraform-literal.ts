// Terraform reads every string of a .tf.json file as a template: `${...}` is an expression and `%{...}` a
// directive. A string taken from the configuration or the Action source would be evaluated (a seed user's name
// could read a file or the environment into the plan), so each one goes through `literal()` on its way into a
// resource. Doubling the first character is Terraform's own escape: `$${` is the text `${`, `%%{` is `%{`.
//
// Not cdktf's Fn.rawString: it leaves `%{` alone and writes newlines and quotes as `\n` and `\"`, which Terraform's
// JSON syntax keeps as backslashes (it is meant for strings inside HCL expressions), so Action code would break.
// Not for backend settings either: Terraform reads those without evaluating them, so an escape would stay in.
//
// The same string must also survive `cdktf synth --hcl`, CDKTF's exit to plain HCL. Its writer puts a string between
// quotes as it is when the string holds `${` (taking the escape for an expression, it leaves quotes unescaped), never
// escapes a backslash, and turns a multi-line string into a heredoc, which adds a newline. Text with a backslash or
// a line break, or with quotes and `${`, therefore goes as an HCL string literal inside an interpolation,
// `${"..."}`: one expression Terraform evaluates to exactly that text, written the same in JSON and in HCL.
import { Token } from 'cdktf';

const escapeTemplate = (text: string) => text.replace(/([$%])\{/g, '$1$1{');

/** The text as an HCL quoted string's content: backslash escapes, then the template escapes. */
function hclQuoted(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return escapeTemplate(escaped);
}

function survivesHclExport(text: string): boolean {
  return !/[\\\n\r]/.test(text) && !(text.includes('"') && text.includes('${'));
}

export function literal(text: string): string {
  if (Token.isUnresolved(text)) {
    throw new Error(`literal() takes text from the configuration, not a Terraform reference: ${text}`);
  }
  return survivesHclExport(text) ? escapeTemplate(text) : `\${"${hclQuoted(text)}"}`;
}
