// The frame of every login page: escaping, the page shell and its stylesheet.
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#eef0f3;margin:0;display:flex;justify-content:center}
main{background:#fff;margin:48px 16px;padding:32px 40px;border-radius:8px;box-shadow:0 2px 12px #0002;width:380px}
h1{font-size:22px;margin:0 0 8px}p{color:#444;line-height:1.4}
label{display:block;margin:16px 0 4px;font-weight:600}
input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:10px;font-size:16px;border:1px solid #bbb;border-radius:4px}
button{margin-top:20px;width:100%;padding:12px;font-size:16px;background:#635dff;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fde8e8;color:#9b1c1c;padding:8px 12px;border-radius:4px}
.secret{font-family:monospace;font-size:15px;word-break:break-all;background:#f4f4f6;padding:8px}
.qr{display:block;margin:12px auto}.tenant{color:#888;font-size:13px;text-align:center}
pre{background:#f4f4f6;padding:12px;overflow:auto;font-size:13px}
label.check{font-weight:400}.links a{display:block;margin-top:12px;text-align:center}`;

export function page(title: string, body: string, tenantName: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><p class="tenant">${escapeHtml(tenantName)}</p>${body}</main></body></html>`;
}

export function errorBox(error?: string): string {
  return error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
}

/** A form posting to `action` with the login state carried in a hidden field. */
export function form(action: string, state: string, fields: string, button: string): string {
  return `<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="state" value="${escapeHtml(state)}">${fields}
<button type="submit">${escapeHtml(button)}</button></form>`;
}
