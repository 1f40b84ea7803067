/**
 * Bidirectional controls (embeddings, overrides, isolates, marks) and other
 * invisible format characters. Inside text from other people they can turn
 * the app's own words around them ("· 2 here" → "ereh 2 ·") or show
 * "exe.png" as "png.exe" (Unicode TR #9; CVE-2021-42574 "Trojan Source").
 */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Text from another party as the app shows it: without bidi controls or invisible format characters. */
export function neutraliseText(text: string): string {
  return text.replace(INVISIBLE, '');
}
