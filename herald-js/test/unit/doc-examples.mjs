// The worked examples of docs/protocol.md, read from the page itself (one place for the bytes): every block
// tagged `hex` after a marker `<!-- example: NAME -->`, '#' starting a comment.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PAGE = fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url));

export function docExamples() {
  const text = readFileSync(PAGE, 'utf8');
  const examples = new Map();
  const pattern = /<!-- example: ([a-z0-9-]+) -->\s*```hex\n([\s\S]*?)```/g;
  for (const [, name, block] of text.matchAll(pattern)) {
    const hex = block
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .join(' ')
      .split(/\s+/)
      .filter(Boolean);
    examples.set(name, Uint8Array.from(hex, (byte) => parseInt(byte, 16)));
  }
  return examples;
}

export function bytes(...hex) {
  return Uint8Array.from(hex.join(' ').split(/\s+/).filter(Boolean), (b) => parseInt(b, 16));
}

export const utf8 = (text) => new TextEncoder().encode(text);
