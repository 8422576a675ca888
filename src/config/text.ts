import type { Diagnostic } from '../model/diagnostic.js';
import { Code } from './codes.js';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** 1-based line and column of a character offset, for problems found before YAML parsing. */
export function lineColOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${n} bytes`;
}

export function tooLarge(file: string, size: number, max: number): Diagnostic {
  return {
    severity: 'error',
    code: Code.fileTooLarge,
    message: `the file is ${formatBytes(size)}, over the ${formatBytes(max)} limit for one YAML file`,
    file,
  };
}

/** A NUL character never occurs in YAML text: this is a binary file given by mistake. */
export function binaryCheck(file: string, text: string): Diagnostic | undefined {
  const nul = text.indexOf('\0');
  if (nul < 0) return undefined;
  return {
    severity: 'error',
    code: Code.fileBinary,
    message: 'the file holds binary data (a NUL byte), not YAML text',
    file,
    ...lineColOf(text, nul),
  };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Bytes to text, strictly: YAML files must be UTF-8 (a UTF-8 byte-order
 * mark is dropped). Anything else gets one diagnostic naming the place.
 */
export function decodeText(file: string, buf: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  const utf16 = (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
  const utf32 = buf[0] === 0x00 && buf[1] === 0x00 && buf[2] === 0xfe && buf[3] === 0xff;
  if (utf16 || utf32) {
    return {
      diagnostic: {
        severity: 'error',
        code: Code.fileNotUtf8,
        message: `the file is ${utf32 ? 'UTF-32' : 'UTF-16'} encoded: save it as UTF-8`,
        file,
      },
    };
  }
  const nul = buf.indexOf(0);
  if (nul < 0) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
    } catch {
      // Not UTF-8: find the first bad byte below to say where.
    }
  }
  const bad = firstInvalidUtf8(nul >= 0 ? buf.subarray(0, nul) : buf);
  if (bad >= 0) {
    const before = new TextDecoder('utf-8').decode(buf.subarray(0, bad));
    return {
      diagnostic: {
        severity: 'error',
        code: Code.fileNotUtf8,
        message: `the file is not valid UTF-8 (byte 0x${buf[bad]!.toString(16).toUpperCase().padStart(2, '0')}): save it as UTF-8`,
        file,
        ...lineColOf(before, before.length),
      },
    };
  }
  if (nul >= 0) {
    const before = new TextDecoder('utf-8').decode(buf.subarray(0, nul));
    return { diagnostic: binaryCheck(file, before + '\0')! };
  }
  // Unreachable in practice: the strict decoder and the scanner agree on what UTF-8 is.
  return { text: new TextDecoder('utf-8').decode(buf) };
}
