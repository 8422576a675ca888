export type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'bold' | 'dim';

const CODES: Record<Style, [number, number]> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  bold: [1, 22],
  dim: [2, 22],
};

/** Wraps text in an ANSI style when `color` is on; plain text otherwise. */
export function paint(text: string, style: Style, color: boolean): string {
  if (!color) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
