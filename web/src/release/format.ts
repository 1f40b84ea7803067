/** "9f2c 1a0b …" as people compare it: the first 16 hex digits (64 bits) in groups of four. */
export function shortRoot(root: string): string {
  return `${groupHex(root.slice(0, 16))}…`;
}

/** Hex in groups of four, for reading aloud and comparing by eye. */
export function groupHex(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}
