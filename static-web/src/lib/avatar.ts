/** A stable hue per bot name, so a bot keeps its colour on every screen and in every chart. */
export function hueOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  // Golden-angle spacing keeps neighbouring hashes apart on the colour wheel.
  return Math.round((hash * 137.508) % 360);
}

export function botColor(name: string, lightness = 62): string {
  return `hsl(${hueOf(name)} 70% ${lightness}%)`;
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return words[0].slice(0, 2).toUpperCase();
  return (words[0][0] + words[words.length - 1][0]).toUpperCase();
}

/** Chart colours in a fixed order of bot id, spread around the wheel so eight bots stay distinguishable. */
const palette = ['#7c6cff', '#2ec4b6', '#ff9f1c', '#ff5d8f', '#4cc9f0', '#b5e48c', '#f9c74f', '#c77dff', '#f3722c', '#90be6d'];
export function seriesColor(index: number): string {
  return palette[index % palette.length];
}
