// After MJML: make the compiled HTML rely on inline styles only, the subset
// every client we target draws (caniemail data, checked by
// test/unit/email-lint.test.ts for Gmail, Outlook and Apple Mail).
//
// - <style> blocks go: Gmail's non-Google-account webmail drops them, Outlook
//   for Windows ignores their @media rules. Our layout is single-column, and
//   MJML already writes every column's width inline, so nothing depends on them.
// - `target` attributes go: Gmail ignores them (links open in a new tab anyway).
// - `word-break` and the body's `word-spacing:normal` go: unsupported by
//   Outlook for Windows; the digest has no unbreakable long words.
// - `table-layout:auto` goes: it is the default. `border-radius` (MJML's
//   button default) goes: Outlook for Windows draws square corners anyway.
// - Whitespace after a newline goes (a sixth of MJML's output); a newline stays,
//   so no two words ever join.
// - Characters outside ASCII become numeric references (slot markers excepted),
//   so the mail is 7-bit clean and every filled copy is a one-byte string.

export function emailSafe(html: string): string {
  return html
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '')
    .replace(/\starget="[^"]*"/g, '')
    .replace(/word-break:\s*break-word;?/g, '')
    .replace(/word-spacing:\s*normal;?/g, '')
    .replace(/table-layout:\s*auto;?/g, '')
    .replace(/border-radius:[^;"]*;?/g, '')
    .replace(/\n[ \t]+/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .replace(/[^\x00-\x7f\uE000\uE001]/gu, (ch) => `&#${ch.codePointAt(0)};`);
}
