// The widget's pure parts: the origins typed in a form, and the tag a site pastes.

/** Origins typed one per line (or comma-separated); a line with spaces stays one entry for the API to refuse. */
export const originsOf = (text: string): string[] =>
  text
    .split(/[\n,]+/)
    .map((o) => o.trim())
    .filter(Boolean)

/** The tag, as the API's widget.js reads it (data-key; api/src/widget/widget-script.ts). */
export const snippetOf = (scriptUrl: string, publicKey: string) =>
  `<script src="${scriptUrl}" data-key="${publicKey}" async></script>`
